// The daily sharing drift check (SH-07): compare the effective sharing ACL (agency_shares, what searches
// apply) with the approved grants, using the pure rule (shared/access/grants sharingDrift). A share no
// active approved grant backs is removed at once, and each is a grant.drift entry plus a compliance
// alert, in the transaction that removes it (the Ventura / Mountain View failure: sharing switched on
// outside the approval process). A share of a grant that merely expired is removed as routine
// (grant.changed). One hub process at a time, under a database lease.
import { validateAgency } from '../../shared/access/agencies.js';
import { type DriftReason, grantState, sharingDrift } from '../../shared/access/grants.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { Logger } from '../../shared/logging/logger.js';
import { JobLease, processOwnerId } from '../retention/job-lease.js';
import { grantView, listOpenGrants, listShares, toPureGrant } from './grants.repository.js';
import { entryPayload, type SharingServices } from './sharing-context.js';
import { deleteShare, insertComplianceAlert } from './sharing-writes.js';

export const DRIFT_ACTOR = 'system:sharing-drift';
const LAST_RUN_KEY = 'sharing_drift_last_run';

export interface DriftRevocation {
  ownerAgency: string;
  granteeAgency: string;
  grantId: string | null;
  reason: DriftReason;
}

export interface DriftReport {
  runId: string;
  at: number;
  sharesChecked: number;
  /** Shares removed as drift (each alerted). */
  drift: DriftRevocation[];
  /** Shares of expired grants removed as routine. */
  expired: DriftRevocation[];
  /** Active approved grants with no share (reported, never added automatically). */
  missing: string[];
}

export type DriftOutcome = { kind: 'completed'; report: DriftReport } | { kind: 'busy'; holder: string };

export class SharingDriftService {
  private readonly lease: JobLease;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly hub: SharingServices,
    private readonly logger: Logger,
    leaseMs = 300_000,
  ) {
    this.lease = new JobLease('sharing-drift', processOwnerId(), leaseMs);
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** When the last run of any hub process finished (ms), from the database. */
  async lastRunAt(): Promise<number | undefined> {
    const rows = await this.hub.db.query<{ value: { at: number } }>(
      'SELECT value FROM hub_meta WHERE key = $1',
      [LAST_RUN_KEY],
    );
    return rows[0]?.value.at;
  }

  async run(runId: string): Promise<DriftOutcome> {
    const work = this.runOnce(runId);
    this.running = work;
    try {
      return await work;
    } finally {
      this.running = undefined;
    }
  }

  private async runOnce(runId: string): Promise<DriftOutcome> {
    const { db, audit } = this.hub;
    const got = await this.lease.acquire(db, runId);
    if (!got.acquired) return { kind: 'busy', holder: got.holder.owner };
    try {
      const report = await db.transaction(async (tx) => {
        await this.lease.renew(tx, runId);
        const now = this.hub.clock();
        await tx.query('LOCK TABLE agency_shares IN SHARE ROW EXCLUSIVE MODE');
        const shares = await listShares(tx);
        const grants = await listOpenGrants(tx);
        const agencies = await tx.query<{ ori: string; name: string; agency_type: string; state: string }>(
          'SELECT ori, name, agency_type, state FROM agencies',
        );
        const eligible = new Set(
          agencies
            .filter(
              (a) => validateAgency({ name: a.name, ori: a.ori, type: a.agency_type, state: a.state }).ok,
            )
            .map((a) => a.ori),
        );
        const result = sharingDrift(shares, grants.map(toPureGrant), now, (ori) => eligible.has(ori));
        const out: DriftReport = {
          runId,
          at: now,
          sharesChecked: shares.length,
          drift: [],
          expired: [],
          missing: [],
        };
        const byKey = new Map(shares.map((s) => [`${s.ownerAgency}/${s.granteeAgency}`, s]));
        const grantById = new Map(grants.map((g) => [String(g.id), g]));
        for (const { share, reason } of result.revoke) {
          const row = byKey.get(`${share.ownerAgency}/${share.granteeAgency}`)!;
          await deleteShare(tx, row.ownerAgencyId, row.granteeAgencyId);
          const grant = share.grantId ? grantById.get(share.grantId) : undefined;
          const item = {
            ownerAgency: share.ownerAgency,
            granteeAgency: share.granteeAgency,
            grantId: share.grantId ?? null,
            reason,
          };
          const detail = {
            ...item,
            before: { share: { ...share }, grant: grant ? grantView(grant, now) : null },
            after: { share: null },
          };
          if (reason === 'expired') {
            out.expired.push(item);
            await audit.append(
              tx,
              {
                kind: AccessAuditKind.grantChanged,
                actor: DRIFT_ACTOR,
                payload: entryPayload({
                  user: DRIFT_ACTOR,
                  origin: 'external',
                  outcome: 'ok',
                  category: 'expired',
                  detail,
                }),
              },
              now,
            );
            continue;
          }
          out.drift.push(item);
          // A grant that claims an approval it cannot have is ended too, so nothing re-applies it.
          if (grant && grantState(toPureGrant(grant), now) === 'invalid') {
            await tx.query(
              `UPDATE access_grants SET ended_at = $2, ended_by = $3, end_reason = 'drift' WHERE id = $1 AND ended_at IS NULL`,
              [grant.id, new Date(now), DRIFT_ACTOR],
            );
          }
          await audit.append(
            tx,
            [
              {
                kind: AccessAuditKind.grantDrift,
                actor: DRIFT_ACTOR,
                payload: entryPayload({
                  user: DRIFT_ACTOR,
                  origin: 'external',
                  outcome: 'revoked',
                  category: reason,
                  detail,
                }),
              },
              {
                kind: AccessAuditKind.complianceAlert,
                actor: DRIFT_ACTOR,
                payload: entryPayload({
                  user: DRIFT_ACTOR,
                  origin: 'external',
                  outcome: 'revoked',
                  category: reason,
                  detail: { source: 'sharing_drift', ...item },
                }),
              },
            ],
            now,
          );
          await insertComplianceAlert(
            tx,
            {
              kind: 'sharing.drift',
              agencyId: row.ownerAgencyId,
              userId: null,
              username: null,
              category: reason,
              detail: item,
            },
            now,
          );
        }
        for (const g of result.missing) {
          out.missing.push(g.id);
          await audit.append(
            tx,
            {
              kind: AccessAuditKind.grantDrift,
              actor: DRIFT_ACTOR,
              payload: entryPayload({
                user: DRIFT_ACTOR,
                origin: 'external',
                outcome: 'reported',
                category: 'missing',
                detail: { grantId: g.id, ownerAgency: g.ownerAgency, granteeAgency: g.granteeAgency },
              }),
            },
            now,
          );
        }
        await tx.query(
          `INSERT INTO hub_meta (key, value, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
          [
            LAST_RUN_KEY,
            JSON.stringify({ at: now, runId, drift: out.drift.length, expired: out.expired.length }),
            new Date(now),
          ],
        );
        return out;
      });
      if (report.drift.length > 0) {
        this.logger.warn(
          { drift: report.drift.length, runId },
          'sharing drift found and revoked; compliance alert raised',
        );
      } else
        this.logger.info(
          { shares: report.sharesChecked, expired: report.expired.length, runId },
          'sharing drift check clean',
        );
      return { kind: 'completed', report };
    } finally {
      await this.lease.release(db, runId).catch(() => undefined);
    }
  }
}
