// A hold request as the API shows it, and the row it is read from (hold_requests joined with its hold,
// for the release time).

export interface HoldRequestRecord {
  id: number;
  searchId: number;
  requestedBy: string;
  caseNumber: string;
  crimeType: string;
  reason: string;
  edgeId: string;
  readIds: number[];
  state: 'pending' | 'approved' | 'denied';
  decidedBy: string | null;
  decidedAt: string | null;
  holdId: number | null;
  releasedAt: string | null;
  createdAt: string;
}

export interface HoldRequestRow {
  id: number;
  search_id: number;
  requested_by_id: number;
  requested_by: string;
  agency_id: number;
  case_number: string;
  crime_type: string;
  reason: string;
  edge_id: string;
  read_ids: number[];
  state: HoldRequestRecord['state'];
  decided_by: string | null;
  decided_at: Date | null;
  hold_id: number | null;
  released_at: Date | null;
  created_at: Date;
}

export const toHoldRequest = (r: HoldRequestRow): HoldRequestRecord => ({
  id: r.id,
  searchId: r.search_id,
  requestedBy: r.requested_by,
  caseNumber: r.case_number,
  crimeType: r.crime_type,
  reason: r.reason,
  edgeId: r.edge_id,
  readIds: r.read_ids,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  holdId: r.hold_id,
  releasedAt: r.released_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export const SELECT_HOLD_REQUESTS = `SELECT q.*, h.released_at FROM hold_requests q LEFT JOIN holds h ON h.id = q.hold_id`;
