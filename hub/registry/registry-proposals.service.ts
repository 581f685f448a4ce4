// Planners propose a new sensitive-site registry; an admin other than the proposer approves it (which
// imports it, signed, in the same transaction) or rejects it. Each step is one audit entry in the same
// transaction as the change; the proposal text is validated with the same parser as every import, so a
// proposal that could never be imported is refused at once, naming its problems.
import { samePerson } from '../../shared/access/approvals.js';
import { parseSiteRegistry } from '../../shared/geofence/site-registry.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb } from '../db/hub-db.js';
import { conflict, forbidden, notFound } from '../http/http-errors.js';
import type { SiteRegistryService } from './site-registry.service.js';

export type ProposalStatus = 'pending' | 'approved' | 'rejected';

export interface RegistryProposal {
  id: number;
  proposedBy: string;
  proposedAt: number;
  reason: string;
  version: string;
  baseVersion: string | null;
  sites: number;
  entrances: number;
  status: ProposalStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  registrySeq: number | null;
}

interface Raw {
  id: string | number;
  proposed_by: string;
  proposed_at: Date;
  reason: string;
  version: string;
  base_version: string | null;
  sites: number;
  entrances: number;
  status: ProposalStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  registry_seq: string | number | null;
}

const toProposal = (r: Raw): RegistryProposal => ({
  id: Number(r.id),
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at.getTime(),
  reason: r.reason,
  version: r.version,
  baseVersion: r.base_version,
  sites: r.sites,
  entrances: r.entrances,
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.getTime() ?? null,
  decisionNote: r.decision_note,
  registrySeq: r.registry_seq === null ? null : Number(r.registry_seq),
});

const COLUMNS = `id, proposed_by, proposed_at, reason, version, base_version, sites, entrances, status, decided_by,
  decided_at, decision_note, registry_seq`;

export type ProposeResult = { ok: true; proposal: RegistryProposal } | { ok: false; problems: string[] };

export class RegistryProposalsService {
  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly registry: SiteRegistryService,
  ) {}

  /** Record a proposal (validated first); `reason` is at least 10 characters. */
  async propose(input: { source: string; reason: string; by: string; now: number }): Promise<ProposeResult> {
    const reason = input.reason.trim();
    const problems: string[] = [];
    if (reason.length < 10 || reason.length > 2000)
      problems.push('reason: say in 10 to 2000 characters why the registry should change');
    const parsed = parseSiteRegistry(input.source);
    if (!parsed.ok) problems.push(...parsed.problems.map((p) => `${p.path || '(file)'}: ${p.message}`));
    if (!parsed.ok || problems.length > 0) return { ok: false, problems };
    const registry = parsed.registry;
    const base = await this.registry.current();
    if (base?.version === registry.version)
      return { ok: false, problems: ['the proposed registry is the current one: nothing would change'] };
    const proposal = await this.db.transaction(async (tx) => {
      const rows = await tx.query<Raw>(
        `INSERT INTO registry_proposals (proposed_by, proposed_at, reason, source, version, base_version, sites, entrances)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [
          input.by,
          new Date(input.now),
          reason,
          input.source,
          registry.version,
          base?.version ?? null,
          registry.sites.length,
          registry.entranceCount,
        ],
      );
      const p = toProposal(rows[0]!);
      await this.audit.append(
        tx,
        {
          kind: HubAuditKind.registryProposed,
          actor: input.by,
          payload: {
            proposalId: p.id,
            version: p.version,
            baseVersion: p.baseVersion,
            sites: p.sites,
            entrances: p.entrances,
            counts: registry.counts,
          },
        },
        input.now,
      );
      return p;
    });
    return { ok: true, proposal };
  }

  /** Approve (import as the new registry) or reject; never the proposer's own proposal. */
  async decide(input: {
    id: number;
    approve: boolean;
    by: string;
    note: string;
    now: number;
  }): Promise<RegistryProposal> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<Raw & { source: string }>(
        `SELECT ${COLUMNS}, source FROM registry_proposals WHERE id = $1 FOR UPDATE`,
        [input.id],
      );
      const row = rows[0];
      if (!row) throw notFound(`no registry proposal ${input.id}`);
      if (row.status !== 'pending') throw conflict(`registry proposal ${input.id} is already ${row.status}`);
      if (samePerson(row.proposed_by, input.by))
        throw forbidden(
          'a registry change must be approved by someone other than its proposer',
          'self_approval',
        );
      let registrySeq: number | null = null;
      if (input.approve) {
        const imported = await this.registry.importIn(tx, row.source, {
          importedBy: input.by,
          now: input.now,
        });
        if (!imported.ok) throw conflict('the proposed registry no longer validates; reject it');
        registrySeq = imported.changed ? imported.record.seq : imported.current.seq;
      }
      const status: ProposalStatus = input.approve ? 'approved' : 'rejected';
      const note = input.note.trim().slice(0, 2000) || null;
      await this.audit.append(
        tx,
        {
          kind: input.approve ? HubAuditKind.registryProposalApproved : HubAuditKind.registryProposalRejected,
          actor: input.by,
          payload: {
            proposalId: Number(row.id),
            proposedBy: row.proposed_by,
            version: row.version,
            registrySeq,
          },
        },
        input.now,
      );
      const updated = await tx.query<Raw>(
        `UPDATE registry_proposals SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5,
           registry_seq = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
        [input.id, status, input.by, new Date(input.now), note, registrySeq],
      );
      return toProposal(updated[0]!);
    });
  }

  /** Proposals, newest first. */
  async list(limit = 100): Promise<RegistryProposal[]> {
    const rows = await this.db.query<Raw>(
      `SELECT ${COLUMNS} FROM registry_proposals ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toProposal);
  }
}
