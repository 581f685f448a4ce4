// The Markdown report of an evaluation run: the context it ran in, the summary, and every miss.
import { boxOnPlate, type EvalSummary, type ImageOutcome, isExact, isFolded } from './eval-metrics.js';

export interface EvalContext {
  dataset: string;
  generatedAt: string;
  /** Free-form settings lines (threads, detector size, ...). */
  settings: Record<string, string | number>;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Why an image was missed, in the words of the report. */
export function missKind(o: ImageOutcome): string {
  if (!o.got) return o.candidateCovered ? 'no read passed the rules' : 'plate not localised';
  if (isFolded(o)) return 'O/0 or I/1 only';
  return boxOnPlate(o.got.box, o.expectedBox) ? 'misread' : 'other text chosen';
}

export function renderEvalReport(
  summary: EvalSummary,
  outcomes: ImageOutcome[],
  context: EvalContext,
): string {
  const misses = outcomes.filter((o) => !isExact(o));
  const lines = [
    '# Plate recognition evaluation',
    '',
    `Dataset: \`${context.dataset}\` (${summary.n} images), generated ${context.generatedAt}.`,
    '',
    '| setting | value |',
    '| --- | --- |',
    ...Object.entries(context.settings).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Summary',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| exact match | ${pct(summary.exact)} |`,
    `| exact with O=0, I=1 folded | ${pct(summary.folded)} |`,
    `| top read on the labelled plate (found) | ${pct(summary.found)} |`,
    `| a read crop held the plate (localiser recall) | ${pct(summary.candidateRecall)} |`,
    `| images with any read | ${pct(summary.answered)} |`,
    `| latency mean / median / p95 / max (ms, decode included) | ${summary.latencyMs.mean} / ${summary.latencyMs.median} / ${summary.latencyMs.p95} / ${summary.latencyMs.max} |`,
    `| mean time in decode / detect / read (ms) | ${summary.stagesMs.decode} / ${summary.stagesMs.detect} / ${summary.stagesMs.read} |`,
    `| plate crops read per image (mean) | ${summary.cropsPerImage} |`,
    '',
    `## Misses (${misses.length})`,
    '',
  ];
  if (misses.length === 0) lines.push('None.');
  else {
    lines.push('| image | expected | got | confidence | kind |', '| --- | --- | --- | --- | --- |');
    for (const o of misses) {
      const got = o.got ? o.got.text : '—';
      const conf = o.got ? o.got.confidence.toFixed(3) : '—';
      lines.push(`| ${o.name} | ${o.expected} | ${got} | ${conf} | ${missKind(o)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
