// How a search's terms are recorded: the plate as stored and compared (exact, O/0-I/1 folded, or a
// partial pattern), and the query terms the audit entry carries (SB 34), valid terms when the request
// parsed, else what was sent, trimmed and bounded.
import type { SearchRequest } from '../../shared/access/search-request.js';
import type { PlateMode } from './searches.repository.js';

const TEXT_MAX = 2000;
export const rawText = (v: unknown, max = TEXT_MAX): string | null =>
  typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, max) : null;
export const rawTime = (v: unknown): string | number | null =>
  typeof v === 'string' ? v.slice(0, 64) : typeof v === 'number' ? v : null;

export function plateMode(request: SearchRequest): { pattern: string; mode: PlateMode } {
  const p = request.plate;
  if (p.kind === 'partial') return { pattern: p.folded, mode: 'partial' };
  // An exact plate is compared on the O/0, I/1 folded key; "folded" says the fold changed something.
  return { pattern: p.folded, mode: p.folded === p.plate ? 'exact' : 'folded' };
}

/** The query terms as the audit records them (SB 34): valid terms when parsed, else what was sent. */
export function queryTerms(input: Record<string, unknown>, request?: SearchRequest): Record<string, unknown> {
  if (request) {
    const { pattern, mode } = plateMode(request);
    return {
      plate: pattern,
      mode,
      partial: request.flags.partialPlate,
      from: new Date(request.from).toISOString(),
      to: new Date(request.to).toISOString(),
      cameras: request.cameraIds,
      area: request.area !== null,
    };
  }
  return {
    plate: rawText(input.plate, 32),
    mode: null,
    partial: null,
    from: rawTime(input.from),
    to: rawTime(input.to),
    cameras: Array.isArray(input.cameras) ? input.cameras.slice(0, 100).map(String) : null,
    area: input.area !== undefined && input.area !== null,
  };
}
