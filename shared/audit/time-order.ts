// Audit times that go backwards: a row whose `at` is earlier than the row before it means the writer's
// clock was stepped back (or rows were edited). Not proof of tampering (the chain decides that), but a
// retention or audit timeline read from such a chain cannot be trusted without a look. Pure.
import type { AuditRow } from './chain.js';

export interface TimeRegression {
  seq: number;
  at: number;
  previousSeq: number;
  previousAt: number;
}

/** Watches rows go by (e.g. while the chain is verified) and keeps the first `keep` regressions. */
export class TimeOrderWatch {
  readonly regressions: TimeRegression[] = [];
  count = 0;
  private previous: AuditRow | undefined;

  constructor(private readonly keep = 20) {}

  /** Pass rows through unchanged, noting each one earlier than its predecessor. */
  *watch(rows: Iterable<AuditRow>): Generator<AuditRow> {
    for (const row of rows) {
      const previous = this.previous;
      if (previous && row.at < previous.at) {
        this.count += 1;
        if (this.regressions.length < this.keep) {
          this.regressions.push({
            seq: row.seq,
            at: row.at,
            previousSeq: previous.seq,
            previousAt: previous.at,
          });
        }
      }
      this.previous = row;
      yield row;
    }
  }
}

/**
 * One line per regression, for people.
 * @example describeRegression({ seq: 8, at: 0, previousSeq: 7, previousAt: 60_000 })
 *   // 'row 8 at 1970-01-01T00:00:00.000Z is 60 s before row 7 (1970-01-01T00:01:00.000Z)'
 */
export function describeRegression(r: TimeRegression): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return `row ${r.seq} at ${iso(r.at)} is ${Math.round((r.previousAt - r.at) / 1000)} s before row ${r.previousSeq} (${iso(r.previousAt)})`;
}
