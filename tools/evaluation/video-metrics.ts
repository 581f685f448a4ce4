// Scoring the reads an edge stored from a labelled clip (pure). A stored read matches a label when its
// plate equals the label's (exact) or does once O/0 and I/1 are folded, and the read's pass overlaps
// the label's time in view (with `toleranceS` either side). Every stored read that matches no label is
// a false record; a label matched by more than one read has duplicates.
import { foldPlateText } from '../../shared/plates/plate-format.js';
import { quantile } from './eval-metrics.js';
import type { ClipLabel } from './video-labels.js';

/** A stored read, with its pass's time span in clip seconds. */
export interface ClipRead {
  plate: string;
  rawText: string;
  confidence: number;
  firstS: number;
  lastS: number;
  /** Seconds from the plate's first sighting to the read being in the store. */
  latencyS: number;
}

export type ReadMatch = 'exact' | 'folded' | 'none';

export interface ScoredRead extends ClipRead {
  match: ReadMatch;
  /** Index of the label it matched (or, for a read that matched none, the label in view then). */
  label: number | undefined;
}

export interface VideoScore {
  plates: number;
  storedReads: number;
  /** Labels with an exactly matching stored read. */
  exact: number;
  /** Labels with a stored read equal once O/0, I/1 are folded (exact included). */
  folded: number;
  /** Stored reads matching no label (false records). */
  unmatched: number;
  /** Stored reads beyond the first for a label. */
  duplicates: number;
  /** Shares 0..1: exact / plates, folded / plates, unmatched / stored reads. */
  exactShare: number;
  foldedShare: number;
  unmatchedShare: number;
  /** Precision of what was stored: reads matching a label (folded) / stored reads. */
  precision: number;
  latencyS: { median: number; p95: number };
}

const overlaps = (r: ClipRead, l: ClipLabel, tol: number) =>
  r.firstS <= l.endS + tol && r.lastS >= l.startS - tol;

/**
 * Match every stored read to the labels and count.
 * @example scoreClip(labels, reads, 0.5).exactShare // 0.97
 */
export function scoreClip(
  labels: readonly ClipLabel[],
  reads: readonly ClipRead[],
  toleranceS = 0.5,
): { score: VideoScore; reads: ScoredRead[] } {
  const scored: ScoredRead[] = reads.map((r) => {
    const exact = labels.findIndex((l) => l.plate === r.plate && overlaps(r, l, toleranceS));
    if (exact >= 0) return { ...r, match: 'exact', label: exact };
    const key = foldPlateText(r.plate);
    const folded = labels.findIndex((l) => foldPlateText(l.plate) === key && overlaps(r, l, toleranceS));
    if (folded >= 0) return { ...r, match: 'folded', label: folded };
    const inView = labels.findIndex((l) => r.firstS < l.endS && r.lastS >= l.startS);
    return { ...r, match: 'none', label: inView >= 0 ? inView : undefined };
  });
  const matched = scored.filter((r) => r.match !== 'none');
  const perLabel = new Map<number, number>();
  for (const r of matched) perLabel.set(r.label!, (perLabel.get(r.label!) ?? 0) + 1);
  const exact = new Set(scored.filter((r) => r.match === 'exact').map((r) => r.label)).size;
  const folded = perLabel.size;
  const unmatched = scored.length - matched.length;
  const duplicates = [...perLabel.values()].reduce((sum, n) => sum + n - 1, 0);
  const share = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
  const latencies = scored.map((r) => r.latencyS);
  return {
    score: {
      plates: labels.length,
      storedReads: scored.length,
      exact,
      folded,
      unmatched,
      duplicates,
      exactShare: share(exact, labels.length),
      foldedShare: share(folded, labels.length),
      unmatchedShare: share(unmatched, scored.length),
      precision: scored.length === 0 ? 1 : share(matched.length, scored.length),
      latencyS: {
        median: Math.round(quantile(latencies, 0.5) * 100) / 100,
        p95: Math.round(quantile(latencies, 0.95) * 100) / 100,
      },
    },
    reads: scored,
  };
}
