// The report of `alpr eval --video`: a Markdown page (settings, the scores, every stored read that
// matched no plate, every plate missed, the passes the screen refused) and a precision/recall plot of
// the evidence thresholds as SVG (pure), which the command also writes as PNG beside the report.
import type { SweepPoint } from './evidence-sweep.js';
import type { VideoEvalRun } from './run-video-eval.js';
import type { ClipLabel } from './video-labels.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

/**
 * Precision (y) against recall (x), one line per minFrames, one point per minConfidence; the current
 * setting is ringed.
 * @example prCurveSvg(run.sweep, { minFrames: 3, minConfidence: 0.75 })
 */
export function prCurveSvg(
  points: readonly SweepPoint[],
  current: { minFrames: number; minConfidence: number },
): string {
  const W = 720;
  const H = 480;
  const m = { left: 70, right: 170, top: 40, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const recalls = points.map((p) => p.recall);
  const precisions = points.map((p) => p.precision);
  const x0 = Math.max(0, Math.floor(Math.min(...recalls, 1) * 10) / 10 - 0.05);
  const y0 = Math.max(0, Math.floor(Math.min(...precisions, 1) * 10) / 10 - 0.05);
  const x = (v: number) => m.left + ((v - x0) / (1 - x0 || 1)) * pw;
  const y = (v: number) => m.top + ph - ((v - y0) / (1 - y0 || 1)) * ph;
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2 - 60}" y="22" font-size="15" text-anchor="middle">Stored reads: precision against recall (evidence thresholds)</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const vx = x0 + ((1 - x0) * i) / 5;
    const vy = y0 + ((1 - y0) * i) / 5;
    parts.push(
      `<line x1="${x(vx)}" y1="${m.top}" x2="${x(vx)}" y2="${m.top + ph}" stroke="#e5e5e5"/>`,
      `<line x1="${m.left}" y1="${y(vy)}" x2="${m.left + pw}" y2="${y(vy)}" stroke="#e5e5e5"/>`,
      `<text x="${x(vx)}" y="${m.top + ph + 18}" text-anchor="middle">${pct(vx)}</text>`,
      `<text x="${m.left - 8}" y="${y(vy) + 4}" text-anchor="end">${pct(vy)}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${H - 15}" text-anchor="middle">recall: plates stored exactly</text>`,
    `<text x="18" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${m.top + ph / 2})">precision: stored reads that are a plate in view</text>`,
  );
  const byFrames = new Map<number, SweepPoint[]>();
  for (const p of points) byFrames.set(p.minFrames, [...(byFrames.get(p.minFrames) ?? []), p]);
  [...byFrames].forEach(([frames, line], i) => {
    const colour = colours[i % colours.length]!;
    const sorted = [...line].sort((a, b) => a.minConfidence - b.minConfidence);
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${sorted.map((p) => `${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of sorted) {
      parts.push(
        `<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.precision).toFixed(1)}" r="3" fill="${colour}"/>`,
      );
    }
    const ly = m.top + 10 + i * 18;
    parts.push(
      `<line x1="${W - m.right + 15}" y1="${ly}" x2="${W - m.right + 35}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${W - m.right + 40}" y="${ly + 4}">minFrames ${frames}</text>`,
    );
  });
  const here = points.find(
    (p) => p.minFrames === current.minFrames && p.minConfidence === current.minConfidence,
  );
  if (here) {
    parts.push(
      `<circle cx="${x(here.recall).toFixed(1)}" cy="${y(here.precision).toFixed(1)}" r="8" fill="none" stroke="#000" stroke-width="2"/>`,
      `<text x="${W - m.right + 15}" y="${m.top + 10 + byFrames.size * 18 + 14}">○ current setting</text>`,
    );
  }
  parts.push(
    `<text x="${W - m.right + 15}" y="${m.top + 10 + byFrames.size * 18 + 34}" font-size="11">points along a line:</text>`,
    `<text x="${W - m.right + 15}" y="${m.top + 10 + byFrames.size * 18 + 48}" font-size="11">minConfidence 0.5 … 0.95</text>`,
    '</svg>',
  );
  return parts.join('');
}

export interface VideoReportContext {
  clip: string;
  labelsFile: string;
  generatedAt: string;
  settings: Record<string, string | number>;
  /** File name of the plot image, relative to the report. */
  plotFile?: string;
}

export function renderVideoReport(
  run: VideoEvalRun,
  labels: readonly ClipLabel[],
  context: VideoReportContext,
): string {
  const s = run.score;
  const lines = [
    '# Plate recognition on video',
    '',
    `Clip \`${context.clip}\`, labels \`${context.labelsFile}\` (${s.plates} plates), generated ${context.generatedAt}.`,
    '',
    '| setting | value |',
    '| --- | --- |',
    ...Object.entries(context.settings).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Stored reads',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| plates stored exactly | ${s.exact} / ${s.plates} (${pct(s.exactShare)}) |`,
    `| plates stored with O=0, I=1 folded | ${s.folded} / ${s.plates} (${pct(s.foldedShare)}) |`,
    `| stored reads matching no plate | ${s.unmatched} / ${s.storedReads} (${pct(s.unmatchedShare)}) |`,
    `| precision of stored reads | ${pct(s.precision)} |`,
    `| duplicate reads of a plate | ${s.duplicates} |`,
    `| first sighting to stored (median / p95) | ${s.latencyS.median} s / ${s.latencyS.p95} s |`,
    `| frames expected / analysed / lost | ${run.frames.expected} / ${run.frames.analysed} / ${run.frames.lost} (${pct(run.frames.lostShare)}) |`,
    `| analysis per frame (median / p95) | ${run.analysisMs.median} ms / ${run.analysisMs.p95} ms |`,
    `| clip / wall time | ${run.clipS} s / ${run.wallS} s |`,
    `| dropped before the gate | ${
      Object.entries(run.discarded)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'nothing'
    } |`,
    '',
  ];
  if (context.plotFile) {
    lines.push('## Evidence thresholds', '', `![precision and recall](${context.plotFile})`, '');
  }
  const junk = run.reads.filter((r) => r.match === 'none');
  lines.push(`## Stored reads that match no plate (${junk.length})`, '');
  if (junk.length === 0) lines.push('None.', '');
  else {
    lines.push('| read | confidence | clip time | plate in view |', '| --- | --- | --- | --- |');
    for (const r of junk) {
      const inView =
        r.label === undefined ? '—' : `${labels[r.label]!.plate} (${esc(labels[r.label]!.name)})`;
      lines.push(
        `| ${r.plate} | ${r.confidence.toFixed(3)} | ${r.firstS.toFixed(1)}-${r.lastS.toFixed(1)} s | ${inView} |`,
      );
    }
    lines.push('');
  }
  const missed = labels.flatMap((l, i) =>
    run.reads.some((r) => r.label === i && r.match === 'exact') ? [] : [[l, i] as const],
  );
  lines.push(`## Plates not stored exactly (${missed.length})`, '');
  if (missed.length === 0) lines.push('None.', '');
  else {
    lines.push(
      '| plate | name | in view | stored instead | passes refused |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const [l, i] of missed) {
      const got = run.reads.filter((r) => r.label === i).map((r) => r.plate);
      const refused = run.passes
        .filter((p) => p.verdict !== 'stored' && p.firstS <= l.endS && p.lastS >= l.startS)
        .map((p) => `${p.plate} (${p.frames} fr, ${p.confidence.toFixed(2)}, ${p.verdict})`);
      lines.push(
        `| ${l.plate} | ${esc(l.name)} | ${l.startS}-${l.endS} s | ${got.join(', ') || '—'} | ${refused.join('; ') || '—'} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
