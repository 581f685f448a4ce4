// The planner's site check as a page (permission sites.check; no plate data anywhere on it): a proposed
// camera checked against the hub's current registry with the same code `alpr site check` and the edge
// gate use (shared/geofence), the verdict with distances, the to-scale SVG map, compliant bearings, and a
// CSV batch. A check changes nothing, so the single check is a GET form (its URL can be shared); the
// batch posts its text (CSRF-checked) and renders the table, since nothing is stored.
import { localFrame } from '../../shared/geofence/local-frame.js';
import { bearingRangesText, type CheckReport, checkCamera } from '../../shared/geofence/planner-report.js';
import { type OpticsDefaults, parseProposedCameras } from '../../shared/geofence/proposed-cameras.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { siteMapExtent, siteMapSvg } from '../../shared/geofence/site-map-svg.js';
import { sitesNear } from '../../shared/geofence/verdict.js';
import type { HubContext } from '../hub-context.js';
import { html, type SafeHtml, trustedMarkup } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageSpec } from './page-route.js';
import type { PlannerRegistry, PlannerRegistryCache } from './planner-registry.js';

const AUTH = { kind: 'user', permission: 'sites.check', acknowledged: true } as const;
const MAX_BATCH = 500;
const m = (v: number) => `${v.toFixed(1)} m`;

function optics(ctx: HubContext): OpticsDefaults {
  const d = ctx.config.cameraDefaults;
  return {
    fovDeg: d.fovDeg,
    frameWidthPx: d.frame.width,
    minPlateWidthPx: d.minPlateWidthPx,
    plateWidthM: d.plateWidthM,
  };
}

/** Read one numeric field; pushes a problem and returns undefined when it is bad. */
function num(
  q: Record<string, string>,
  name: string,
  label: string,
  min: number,
  max: number,
  problems: string[],
  required: boolean,
) {
  const raw = (q[name] ?? '').trim();
  if (raw === '') {
    if (required) problems.push(`${label} is required`);
    return undefined;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    problems.push(`${label} must be a number from ${min} to ${max} (got "${raw.slice(0, 40)}")`);
    return undefined;
  }
  return v;
}

function checkForm(q: Record<string, string>, fovDefault: number): SafeHtml {
  const field = (name: string, label: string, hint: string, step = 'any') =>
    html`<div><label for="${name}">${label}<span class="hint">${hint}</span></label><input type="text" inputmode="decimal" id="${name}" name="${name}" value="${q[name] ?? ''}" data-step="${step}"></div>`;
  return html`<form method="get" action="/sites/check" class="card" aria-labelledby="check-h">
<h2 id="check-h">Check one proposed camera</h2>
<div class="fields">
${field('lng', 'Longitude', 'WGS84 degrees, e.g. -121.886')}
${field('lat', 'Latitude', 'WGS84 degrees, e.g. 37.338')}
${field('bearing', 'Bearing', 'degrees, 0 = north, 90 = east')}
${field('fov', 'Field of view', `degrees (default ${fovDefault})`)}
${field('range', 'Range', 'metres (default: derived from the optics)')}
</div>
<button type="submit">Check</button>
</form>`;
}

function verdictBlock(report: CheckReport, registry: PlannerRegistry, map: string): SafeHtml {
  const c = report.camera;
  const s = report.suggestion;
  return html`<section class="card" aria-labelledby="verdict-h">
<h2 id="verdict-h">Verdict</h2>
<p class="${report.compliant ? 'verdict-ok' : 'verdict-bad'}">${
    report.compliant
      ? 'Compliant: no sensitive site or its buffer reaches the capture area.'
      : `Not compliant: the capture area reaches ${report.violations.length} sensitive site(s).`
  }</p>
<p>Camera at ${c.lat.toFixed(6)}, ${c.lng.toFixed(6)} looking ${c.bearingDeg}° (field of view ${c.fovDeg}°), range ${m(c.rangeM)} (${c.rangeSource}).
Registry version <span class="mono">${registry.record.version.slice(0, 12)}…</span> (${registry.registry.sites.length} sites).
Buffers: ${Object.entries(report.bufferM)
    .map(([k, v]) => `${k.replace('_', ' ')} ${v} m`)
    .join(', ')}.</p>
${
  report.violations.length > 0
    ? html`<div class="table-wrap"><table><caption>Sites the capture area reaches</caption>
<thead><tr><th scope="col">Site</th><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Distance</th><th scope="col">Buffer</th><th scope="col">Overlap</th><th scope="col">Nearest part</th></tr></thead>
<tbody>${report.violations.map(
        (v) =>
          html`<tr><td>${v.siteId}</td><td>${v.name ?? '(not stored)'}</td><td>${v.category}</td><td>${m(v.distanceM)}</td><td>${v.bufferM} m</td><td>${v.overlapM2.toFixed(1)} m²</td><td>${v.nearest}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${report.nearestSite ? `Nearest site: ${report.nearestSite.siteId} (${report.nearestSite.category}), ${m(report.nearestSite.distanceM)} from the capture area.` : 'No site within 1000 m.'}</p>`
}
${
  s
    ? html`<h3>Suggestions</h3><ul>
<li>Compliant bearings at this position, field of view and range: ${bearingRangesText(s.compliantBearings)}.</li>
<li>${s.maxCompliantRangeM === 0 ? `At bearing ${c.bearingDeg}°: no compliant range (the position itself is on a site or within its buffer).` : s.maxCompliantRangeM >= s.rangeSearchLimitM ? `At bearing ${c.bearingDeg}°: compliant at any range up to ${s.rangeSearchLimitM} m.` : `At bearing ${c.bearingDeg}°: largest compliant range ${m(s.maxCompliantRangeM)}.`}</li></ul>`
    : ''
}
<figure class="map"><figcaption>To-scale map: the capture sector, nearby sites, their buffers and entrances (north up).</figcaption>
${trustedMarkup(map, 'siteMapSvg escapes every text it draws; its input is the registry and numbers')}
</figure>
<p>Camera hash <span class="mono">${report.cameraHash}</span></p>
</section>`;
}

export function siteCheckPages(ctx: HubContext, registries: PlannerRegistryCache): PageSpec[] {
  const buffers = () => ({ ...ctx.config.sites.bufferM });
  const noRegistry = () =>
    message(
      'error',
      'The hub has no sensitive-site registry yet: an admin imports one, or approves a proposal.',
    );
  return [
    {
      method: 'GET',
      url: '/sites/check',
      auth: AUTH,
      summary: 'Planner: check a proposed camera against the sensitive-site registry',
      async handle(page) {
        const q = page.query;
        const defaults = optics(ctx);
        const registry = await registries.current();
        const parts: SafeHtml[] = [checkForm(q, defaults.fovDeg)];
        let status = 200;
        if (!registry) parts.unshift(noRegistry());
        else if (q.lng !== undefined || q.lat !== undefined || q.bearing !== undefined) {
          const problems: string[] = [];
          const lng = num(q, 'lng', 'Longitude', -180, 180, problems, true);
          const lat = num(q, 'lat', 'Latitude', -90, 90, problems, true);
          const bearing = num(q, 'bearing', 'Bearing', -360, 720, problems, true);
          const fov = num(q, 'fov', 'Field of view', 0.001, 360, problems, false);
          const range = num(q, 'range', 'Range', 0.001, 2000, problems, false);
          if (problems.length > 0) {
            status = 400;
            parts.unshift(problemsAlert('The camera could not be checked:', problems));
          } else {
            const geometry: CameraGeometry = {
              ...defaults,
              fovDeg: fov ?? defaults.fovDeg,
              position: { lng: lng!, lat: lat! },
              bearingDeg: bearing!,
              rangeM: range,
            };
            const { report, verdict } = checkCamera(geometry, registry.prepared, buffers(), {
              showNames: true,
              suggest: true,
            });
            const frame = localFrame(verdict.sector.origin);
            const near = sitesNear(
              registry.prepared,
              frame,
              siteMapExtent(verdict.sector, verdict.bufferM).extentM,
              0,
            );
            const { svg } = siteMapSvg({ sector: verdict.sector, verdict, sites: near, showNames: true });
            const labelled = svg.replace(
              '<svg ',
              `<svg role="img" aria-label="${report.compliant ? 'Compliant' : 'Not compliant'} camera sector map" `,
            );
            parts.push(verdictBlock(report, registry, labelled));
          }
        }
        parts.push(batchForm(page.csrf, ''));
        parts.push(html`<p><a href="/sites/proposals">Registry change history and proposals</a></p>`);
        return { title: 'Site check', body: html`${parts}`, status, scripts: ['csv-file.js'] };
      },
    },
    {
      method: 'POST',
      url: '/sites/check/batch',
      auth: AUTH,
      summary: 'Planner: check a CSV batch of proposed cameras',
      async handle(page) {
        const text = page.form.csv ?? '';
        const registry = await registries.current();
        if (!registry)
          return {
            title: 'Batch site check',
            body: html`${noRegistry()}${batchForm(page.csrf, text)}`,
            status: 409,
          };
        const parsed = parseProposedCameras(text, optics(ctx));
        if (!parsed.ok || parsed.cameras.length > MAX_BATCH) {
          const problems = parsed.ok
            ? [`at most ${MAX_BATCH} cameras per batch (got ${parsed.cameras.length})`]
            : parsed.problems.slice(0, 50);
          return {
            title: 'Batch site check',
            body: html`${problemsAlert('The batch could not be checked:', problems)}${batchForm(page.csrf, text)}`,
            status: 400,
            scripts: ['csv-file.js'],
          };
        }
        const reports = parsed.cameras.map((cam) => ({
          id: cam.id,
          ...checkCamera(cam.geometry, registry.prepared, buffers(), { showNames: true, suggest: true })
            .report,
        }));
        const bad = reports.filter((r) => !r.compliant).length;
        const table = html`<div class="table-wrap"><table><caption>${reports.length} camera(s), ${bad} not compliant (registry ${registry.record.version.slice(0, 12)}…)</caption>
<thead><tr><th scope="col">Camera</th><th scope="col">Position</th><th scope="col">Bearing / FOV / range</th><th scope="col">Verdict</th><th scope="col">Sites reached (distance)</th><th scope="col">Compliant bearings</th></tr></thead>
<tbody>${reports.map(
          (
            r,
          ) => html`<tr><td>${r.id}</td><td>${r.camera.lat.toFixed(6)}, ${r.camera.lng.toFixed(6)}</td><td>${r.camera.bearingDeg}° / ${r.camera.fovDeg}° / ${m(r.camera.rangeM)}</td>
<td class="${r.compliant ? 'verdict-ok' : 'verdict-bad'}">${r.compliant ? 'compliant' : 'not compliant'}</td>
<td>${r.violations.map((v) => `${v.siteId} (${m(v.distanceM)})`).join(', ') || '—'}</td><td>${bearingRangesText(r.suggestion?.compliantBearings ?? [])}</td></tr>`,
        )}</tbody></table></div>`;
        return {
          title: 'Batch site check',
          body: html`${table}${batchForm(page.csrf, text)}`,
          scripts: ['csv-file.js'],
        };
      },
    },
  ];
}

function batchForm(csrf: string, text: string): SafeHtml {
  return html`<form method="post" action="/sites/check/batch" class="card" aria-labelledby="batch-h">
<h2 id="batch-h">Check a batch (CSV)</h2>
${csrfField(csrf)}
<label for="batch-file">CSV file<span class="hint">header row: lng,lat,bearing[,id,fov,range]; at most ${MAX_BATCH} rows</span></label>
<input type="file" id="batch-file" accept=".csv,text/csv" data-fills="csv">
<label for="csv">Or paste the CSV</label>
<textarea id="csv" name="csv" required>${text}</textarea>
<button type="submit">Check the batch</button>
</form>`;
}
