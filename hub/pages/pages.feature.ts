// The hub's web pages (server-rendered, hub/pages/*): the layout, CSRF tokens and headers live in
// page-route.ts; each file here contributes the pages of one job. Signing in is the identity feature's
// `user` authenticator (the alpr_session cookie); pages only declare which permission each one needs.
import { accountsFeature } from '../accounts/accounts.feature.js';
import { accessLogRoutes } from '../audit/access-log.feature.js';
import { holdRoutes } from '../holds/holds-api.feature.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { auditorRoutes } from '../oversight/oversight.routes.js';
import { siteRegistryService } from '../registry/registry.feature.js';
import { RegistryProposalsService } from '../registry/registry-proposals.service.js';
import { searchRoutes } from '../search/search.feature.js';
import { sharingRoutes } from '../sharing/sharing.routes.js';
import { accountPages } from './accounts.page.js';
import { adminPages } from './admin.page.js';
import { assetRoutes } from './assets.js';
import { auditPages } from './audit.page.js';
import { CsrfTokens } from './csrf.js';
import { holdPages } from './holds.page.js';
import { homePages } from './home.page.js';
import { inquiryPages } from './inquiries.page.js';
import { type PageDeps, type PageSpec, pageRoute } from './page-route.js';
import { PlannerRegistryCache } from './planner-registry.js';
import { registryPages } from './registry.page.js';
import { reportPages } from './reports.page.js';
import { RouteTable } from './route-call.js';
import { searchPages } from './search.page.js';
import { sessionPages } from './session.page.js';
import { siteCheckPages } from './site-check.page.js';

export function pageSpecs(ctx: HubContext): PageSpec[] {
  const registry = siteRegistryService(ctx);
  const proposals = new RegistryProposalsService(ctx.db, ctx.audit, registry);
  // The API routes the pages run (their own instances: the services keep no state outside the database).
  const api = new RouteTable([
    ...(accountsFeature.routes?.(ctx) ?? []),
    ...searchRoutes(ctx),
    ...holdRoutes(ctx),
    ...accessLogRoutes(ctx),
    ...sharingRoutes(ctx),
    ...auditorRoutes(ctx),
  ]);
  return [
    ...sessionPages(ctx, api),
    ...homePages(),
    ...accountPages(api),
    ...searchPages(ctx, api),
    ...holdPages(api),
    ...auditPages(api),
    ...reportPages(api),
    ...inquiryPages(ctx, api),
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
