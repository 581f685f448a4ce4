// The one SQL condition "this read is under an active evidentiary hold" (a hold not yet released, linked
// to the read), shared by reads, holds, hold scopes and the purge so the rule cannot drift between them.
// The schema's own triggers (migrations.ts, migration-2.ts) keep their literal copy: a migration is history.

/**
 * SQL `EXISTS (...)` true while the read whose id is the SQL expression `readId` has an active hold;
 * `exceptHoldId` (an SQL expression) leaves one hold out (the one about to be released).
 * @example activeHoldOn('r.id') // "EXISTS (SELECT 1 FROM hold_reads hr JOIN holds h ... AND h.released_at IS NULL)"
 */
export function activeHoldOn(readId: string, options: { exceptHoldId?: string } = {}): string {
  const except = options.exceptHoldId === undefined ? '' : ` AND h.id <> ${options.exceptHoldId}`;
  return `EXISTS (SELECT 1 FROM hold_reads hr JOIN holds h ON h.id = hr.hold_id
    WHERE hr.read_id = ${readId} AND h.released_at IS NULL${except})`;
}
