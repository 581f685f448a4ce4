// The report's charts as SVG text (rasterised by the hub with sharp for the PDF): searches per week by
// agency (stacked bars), blocked attempts by category (bars), and the oldest unheld read per day against
// the retention limit (bars with a limit line). Pure; labels are escaped, data never names a person.

const W = 900;
const H = 360;
const M = { left: 70, right: 20, top: 40, bottom: 70 };
const PALETTE = ['#1f5f99', '#d9822b', '#3c8d40', '#a33b3b', '#6b4c9a', '#2b8c8c', '#8c6d1f', '#555555'];

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function frame(title: string, body: string, yMax: number, yLabel: string): string {
  const ticks = 4;
  const plotH = H - M.top - M.bottom;
  let axis = '';
  for (let i = 0; i <= ticks; i++) {
    const v = (yMax * i) / ticks;
    const y = M.top + plotH - (plotH * i) / ticks;
    axis += `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`;
    axis += `<text x="${M.left - 8}" y="${y + 4}" text-anchor="end" font-size="12">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${M.left}" y="24" font-size="16" font-weight="bold">${esc(title)}</text>` +
    `<text x="14" y="${M.top + plotH / 2}" font-size="12" transform="rotate(-90 14 ${M.top + plotH / 2})" text-anchor="middle">${esc(yLabel)}</text>` +
    axis +
    body +
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>` +
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>` +
    '</svg>'
  );
}

const niceMax = (v: number) => {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / p) * p;
};

/** A top for counts whose 4 grid steps are whole numbers. */
const countMax = (v: number) => Math.ceil(niceMax(v) / 4) * 4;

function empty(title: string): string {
  return frame(
    title,
    `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="14" fill="#666">no data in the period</text>`,
    1,
    '',
  );
}

/**
 * Stacked bars, one per week, one colour per agency.
 * @example searchesPerWeekSvg([{ week: '2026-01-05', agency: 'CA0430100', searches: 3 }])
 */
export function searchesPerWeekSvg(
  rows: readonly { week: string; agency: string; searches: number }[],
): string {
  const title = 'Searches per week by agency';
  if (rows.length === 0) return empty(title);
  const weeks = [...new Set(rows.map((r) => r.week))].sort();
  const agencies = [...new Set(rows.map((r) => r.agency))].sort();
  const totals = weeks.map((w) => rows.filter((r) => r.week === w).reduce((s, r) => s + r.searches, 0));
  const yMax = countMax(Math.max(...totals));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const bw = (plotW / weeks.length) * 0.7;
  let body = '';
  weeks.forEach((w, i) => {
    const x = M.left + (plotW / weeks.length) * (i + 0.15);
    let y = M.top + plotH;
    agencies.forEach((a, j) => {
      const n = rows.find((r) => r.week === w && r.agency === a)?.searches ?? 0;
      const h = (n / yMax) * plotH;
      y -= h;
      if (n > 0)
        body += `<rect x="${x}" y="${y}" width="${bw}" height="${h}" fill="${PALETTE[j % PALETTE.length]}"/>`;
    });
    body += `<text x="${x + bw / 2}" y="${H - M.bottom + 16}" font-size="10" text-anchor="end" transform="rotate(-40 ${x + bw / 2} ${H - M.bottom + 16})">${esc(w.slice(5))}</text>`;
  });
  agencies.forEach((a, j) => {
    const x = M.left + 10 + j * 150;
    body += `<rect x="${x}" y="${H - 18}" width="12" height="12" fill="${PALETTE[j % PALETTE.length]}"/><text x="${x + 16}" y="${H - 8}" font-size="12">${esc(a)}</text>`;
  });
  return frame(title, body, yMax, 'searches');
}

/** Bars by blocked category. */
export function blockedByCategorySvg(
  counts: Readonly<Record<string, number>>,
  labels: Readonly<Record<string, string>> = {},
): string {
  const title = 'Blocked attempts by category';
  const cats = Object.keys(counts).sort();
  if (cats.length === 0) return empty(title);
  const yMax = countMax(Math.max(...cats.map((c) => counts[c]!)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / cats.length;
  let body = '';
  cats.forEach((c, i) => {
    const h = (counts[c]! / yMax) * plotH;
    const x = M.left + slot * i + slot * 0.2;
    body += `<rect x="${x}" y="${M.top + plotH - h}" width="${slot * 0.6}" height="${h}" fill="${PALETTE[3]}"/>`;
    body += `<text x="${x + slot * 0.3}" y="${M.top + plotH - h - 6}" font-size="12" text-anchor="middle">${counts[c]}</text>`;
    body += `<text x="${x + slot * 0.3}" y="${H - M.bottom + 18}" font-size="12" text-anchor="middle">${esc(labels[c] ?? c)}</text>`;
  });
  return frame(title, body, yMax, 'attempts');
}

/** Oldest unheld read per day (hours), with the retention + 1 hour limit as a line. */
export function oldestUnheldSvg(
  perDay: readonly { day: string; maxUnheldAgeMs: number | null }[],
  limitMs: number,
): string {
  const title = 'Oldest unheld read per day (hours)';
  if (perDay.length === 0) return empty(title);
  const hours = (ms: number) => ms / 3_600_000;
  const top = Math.max(hours(limitMs), ...perDay.map((d) => hours(d.maxUnheldAgeMs ?? 0)));
  const yMax = niceMax(top * 1.1);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / perDay.length;
  let body = '';
  perDay.forEach((d, i) => {
    const x = M.left + slot * i;
    if (d.maxUnheldAgeMs !== null) {
      const h = (hours(d.maxUnheldAgeMs) / yMax) * plotH;
      const over = d.maxUnheldAgeMs > limitMs;
      body += `<rect x="${x + slot * 0.1}" y="${M.top + plotH - h}" width="${Math.max(1, slot * 0.8)}" height="${h}" fill="${over ? '#a33b3b' : PALETTE[0]}"/>`;
    }
    if (i % Math.ceil(perDay.length / 12) === 0) {
      body += `<text x="${x + slot / 2}" y="${H - M.bottom + 16}" font-size="10" text-anchor="end" transform="rotate(-40 ${x + slot / 2} ${H - M.bottom + 16})">${esc(d.day.slice(5))}</text>`;
    }
  });
  const ly = M.top + plotH - (hours(limitMs) / yMax) * plotH;
  body += `<line x1="${M.left}" x2="${W - M.right}" y1="${ly}" y2="${ly}" stroke="#a33b3b" stroke-dasharray="6 4" stroke-width="2"/>`;
  body += `<text x="${W - M.right}" y="${ly - 6}" font-size="12" text-anchor="end" fill="#a33b3b">limit ${hours(limitMs).toFixed(0)} h</text>`;
  return frame(title, body, yMax, 'hours');
}
