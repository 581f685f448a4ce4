// Fixture factories for the access-rule tests: a valid object by default, overrides for what a test is about.
import { DAY_MS } from '../../../shared/access/problems.js';
import { T0 } from '../../support/factories.js';

export { T0 };
export const NOW = T0 + 10 * DAY_MS; // 2026-03-11T12:00:00Z

export function makeSearchInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    plate: '7ABC123',
    from: '2026-03-01T00:00:00Z',
    to: '2026-03-02T00:00:00Z',
    crimeType: 'robbery',
    caseNumber: '26-000123',
    justification: 'armed robbery at the Valero on King Rd, suspect left in a white Civic',
    ...overrides,
  };
}
