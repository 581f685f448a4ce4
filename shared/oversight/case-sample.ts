// CMP-04: an auditor draws a random sample of searches to verify their case numbers against the records
// system, and records pass or fail per item. Drawing is uniform without replacement from the searches of
// a period; the random source is an argument (crypto in production, seeded in tests). Pure.

export type SampleVerdict = 'pass' | 'fail';

/**
 * Draw `size` items uniformly without replacement (partial Fisher-Yates). `random` returns [0, 1).
 * @example drawSample([1, 2, 3, 4], 2, Math.random) // e.g. [3, 1]
 */
export function drawSample<T>(population: readonly T[], size: number, random: () => number): T[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('sample size must be a positive integer');
  const pool = [...population];
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** A sample's tally: items checked, passed, failed and still open; complete when none is open. */
export function sampleTally(items: readonly { verdict: SampleVerdict | null }[]): {
  items: number;
  passed: number;
  failed: number;
  open: number;
  complete: boolean;
  passRate: number | null;
} {
  const passed = items.filter((i) => i.verdict === 'pass').length;
  const failed = items.filter((i) => i.verdict === 'fail').length;
  const open = items.length - passed - failed;
  const checked = passed + failed;
  return {
    items: items.length,
    passed,
    failed,
    open,
    complete: items.length > 0 && open === 0,
    passRate: checked === 0 ? null : Math.round((passed / checked) * 1000) / 1000,
  };
}
