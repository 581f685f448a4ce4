// The hub's web pages (server-rendered, hub/pages/*): the layout, CSRF tokens and headers live in
// page-route.ts; each file here contributes the pages of one job. Signing in is the identity feature's
// `user` authenticator (the alpr_session cookie); pages only declare which permission each one needs.

import type { HubRoute } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { siteRegistryService } from '../registry/registry.feature.js';
import { RegistryProposalsService } from '../registry/registry-proposals.service.js';
import { adminPages } from './admin.page.js';
import { assetRoutes } from './assets.js';
import { CsrfTokens } from './csrf.js';
import { homePages } from './home.page.js';
import { type PageDeps, type PageSpec, pageRoute } from './page-route.js';
import { PlannerRegistryCache } from './planner-registry.js';
import { registryPages } from './registry.page.js';
import { siteCheckPages } from './site-check.page.js';

export function pageSpecs(ctx: HubContext): PageSpec[] {
  const registry = siteRegistryService(ctx);
  const proposals = new RegistryProposalsService(ctx.db, ctx.audit, registry);
  return [
    ...homePages(),
    ...adminPages(ctx),
    ...siteCheckPages(ctx, new PlannerRegistryCache(registry)),
    ...registryPages(ctx, registry, proposals),
  ];
}

export const pagesFeature: HubFeature = {
  name: 'pages',
  routes: (ctx): HubRoute[] => {
    const deps: PageDeps = {
      csrf: new CsrfTokens(ctx.keys.secretsKey),
      secure: ctx.config.hub.tls !== undefined,
    };
    return [...assetRoutes(), ...pageSpecs(ctx).map((spec) => pageRoute(spec, deps))];
  },
};
