// Enrolment on both engines: agencies are California law enforcement only (checked in code, then by the
// table), an edge's secret is never stored in clear and opens only for that edge, and every change is in
// the audit chain without the secret in it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgencyError, addAgency } from '../../../hub/agencies/agencies.service.js';
import {
  disableEnrolledEdge,
  EnrolmentError,
  edgeSecretOpens,
  enrolEdge,
  openEdgeSecret,
  rotateEdgeSecret,
} from '../../../hub/edges/edge-enrolment.service.js';
import { listEdgeStatus } from '../../../hub/edges/edges.repository.js';
import { parseEdgeSecret } from '../../../shared/forward/request-signature.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';

const SJPD = { ori: 'CA0430100', name: 'San José Police Department', type: 'local_le', home: true };

describe.each(HUB_ENGINES)('enrolment on %s', (engine) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(engine);
  });
  afterEach(() => hub.close());

  it.each([
    ['a federal agency', { ...SJPD, type: 'federal' }, /type: federal agencies may not receive ALPR data/],
    ['a federal name', { ...SJPD, name: 'FBI San Jose', home: false }, /name: the name names a federal/],
    ['an out-of-state agency', { ...SJPD, ori: 'NV0020000' }, /not a California ORI/],
    ['an out-of-state state', { ...SJPD, state: 'NV' }, /state: out-of-state agencies \(NV\)/],
    ['a private entity', { ...SJPD, type: 'private' }, /type: private entities may not/],
    ['a malformed ORI', { ...SJPD, ori: 'CA12' }, /not an ORI/],
  ])('refuses %s in code (SH-01), storing and auditing nothing', async (_what, input, problem) => {
    const error = await addAgency(hub.ctx, input, 'admin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyError);
    expect((error as AgencyError).problems.join('\n')).toMatch(problem);
    expect(await hub.ctx.db.query('SELECT 1 FROM agencies')).toHaveLength(0);
    expect(await hub.ctx.audit.head(hub.ctx.db)).toBeUndefined();
  });

  it('adds an agency (normalising its ORI), audited, and refuses a second home agency', async () => {
    const agency = await addAgency(hub.ctx, { ...SJPD, ori: ' ca0430100 ' }, 'cli:admin');
    expect(agency).toMatchObject({ ori: 'CA0430100', isHome: true, type: 'local_le' });
    const [event] = await hub.ctx.audit.list(hub.ctx.db, { kind: 'agency.created' });
    expect(event).toMatchObject({ actor: 'cli:admin' });
    await expect(addAgency(hub.ctx, { ...SJPD, ori: 'CA0349400' }, 'x')).rejects.toThrow(
      /already is a home agency/,
    );
    await expect(addAgency(hub.ctx, { ...SJPD, home: false }, 'x')).rejects.toThrow(
      /CA0430100 already exists/,
    );
  });

  it('keeps the edge secret only sealed, bound to its edge, and never in the audit chain', async () => {
    await addAgency(hub.ctx, SJPD, 'admin');
    const creds = await enrolEdge(
      hub.ctx,
      { edgeId: 'edge-01', agencyOri: 'CA0430100', label: 'Main St' },
      'admin',
    );
    expect(creds.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(creds.hubPublicKey).toBe(hub.ctx.keys.signing.publicKeyBase64);
    const dump =
      JSON.stringify(await hub.ctx.db.query('SELECT * FROM edges')) +
      JSON.stringify(await hub.ctx.db.query('SELECT * FROM audit_events'));
    expect(dump).not.toContain(creds.secret);
    expect(dump).not.toContain(parseEdgeSecret(creds.secret).toString('hex'));
    const [row] = await hub.ctx.db.query<{ secret_sealed: string }>('SELECT secret_sealed FROM edges');
    expect(
      openEdgeSecret(hub.ctx.keys.secretsKey, 'edge-01', row!.secret_sealed).equals(
        parseEdgeSecret(creds.secret),
      ),
    ).toBe(true);
    expect(() => openEdgeSecret(hub.ctx.keys.secretsKey, 'edge-02', row!.secret_sealed)).toThrow(
      /does not open/,
    );
    expect(await edgeSecretOpens(hub.ctx, 'edge-01')).toBe(true);
    const kinds = (await hub.ctx.audit.list(hub.ctx.db)).map((r) => r.kind);
    expect(kinds).toEqual(['edge.enrolled', 'agency.created']);
  });

  it('refuses an unknown agency, a bad edge id and a second enrolment of the same edge', async () => {
    await expect(enrolEdge(hub.ctx, { edgeId: 'edge-01', agencyOri: 'CA0430100' }, 'a')).rejects.toThrow(
      /add it first/,
    );
    await addAgency(hub.ctx, SJPD, 'admin');
    await expect(enrolEdge(hub.ctx, { edgeId: 'bad id!', agencyOri: 'CA0430100' }, 'a')).rejects.toThrow(
      EnrolmentError,
    );
    await enrolEdge(hub.ctx, { edgeId: 'edge-01', agencyOri: 'CA0430100' }, 'a');
    await expect(enrolEdge(hub.ctx, { edgeId: 'edge-01', agencyOri: 'CA0430100' }, 'a')).rejects.toThrow(
      /already enrolled/,
    );
  });

  it('rotates and disables, each audited once, and lists the edge with its status', async () => {
    await addAgency(hub.ctx, SJPD, 'admin');
    const first = await enrolEdge(hub.ctx, { edgeId: 'edge-01', agencyOri: 'CA0430100' }, 'admin');
    const rotated = await rotateEdgeSecret(hub.ctx, 'edge-01', 'admin');
    expect(rotated.secret).not.toBe(first.secret);
    expect(await disableEnrolledEdge(hub.ctx, 'edge-01', 'admin', 'decommissioned')).toBe('disabled');
    expect(await disableEnrolledEdge(hub.ctx, 'edge-01', 'admin', 'again')).toBe('already');
    await expect(rotateEdgeSecret(hub.ctx, 'edge-09', 'admin')).rejects.toThrow(/no edge edge-09/);
    const kinds = (await hub.ctx.audit.list(hub.ctx.db)).map((r) => r.kind);
    expect(kinds).toEqual(['edge.disabled', 'edge.secret_rotated', 'edge.enrolled', 'agency.created']);
    const [status] = await listEdgeStatus(hub.ctx.db);
    expect(status).toMatchObject({
      id: 'edge-01',
      agencyOri: 'CA0430100',
      disabledAt: hub.clock(),
      lastSeenAt: null,
      readCursor: 0,
    });
  });
});
