// Audit event kinds the hub writes for enrolment and ingest. Payloads never carry a secret, a plate or a
// signature key's private half.
export const HubAuditKind = {
  agencyCreated: 'agency.created',
  edgeEnrolled: 'edge.enrolled',
  edgeDisabled: 'edge.disabled',
  edgeSecretRotated: 'edge.secret_rotated',
  /** the public key of an edge's audit chain was pinned (on first use, or by an admin) */
  edgeKeyPinned: 'edge.key_pinned',
  /** heads refused: another key than the pinned one, a fork, or going back */
  edgeHeadsRefused: 'edge.heads_refused',
  /** reads the hub refused for policy reasons (no compliant verdict, stale verdict, capture time) */
  ingestReadsRefused: 'ingest.reads_refused',
  /** a planner proposed a new sensitive-site registry (payload: proposalId, version, sites) */
  registryProposed: 'registry.proposed',
  /** an admin approved it: it was imported as registry version registrySeq */
  registryProposalApproved: 'registry.proposal_approved',
  registryProposalRejected: 'registry.proposal_rejected',
} as const;
