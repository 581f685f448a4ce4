// The demo's hub: started in the demo's own process on embedded PGlite (one process may open it, so the
// agency, the edge enrolment and the accounts go through the services behind `alpr hub agencies|edges|
// users` on the running hub's context rather than through a second `alpr` process), and the HTTP
// sign-in a person does (password + a TOTP code the demo computes, then the notice accepted).
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  approveUser,
  type ChangeActor,
  createUser,
  recordTraining,
} from '../../hub/accounts/users.service.js';
import { addAgency } from '../../hub/agencies/agencies.service.js';
import { enrolEdge } from '../../hub/edges/edge-enrolment.service.js';
import { type HubRuntime, startHub } from '../../hub/hub-runtime.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { base32Decode } from '../../shared/crypto/base32.js';
import { hotp, totpStep } from '../../shared/crypto/totp.js';
import type { Logger } from '../../shared/logging/logger.js';

/** A fictional agency: a real ORI shape (CA + 7), no real department's number. */
export const DEMO_AGENCY = { ori: 'CA0439900', name: 'Demo City Police Department (fictional)' } as const;
export const DEMO_EDGE_ID = 'demo-edge';
const ACTOR = 'demo';

export interface DemoAccount {
  username: string;
  role: 'investigator' | 'supervisor' | 'auditor';
  password: string;
  /** base32 TOTP seed: the demo's own accounts only; shown to the person who runs the demo */
  seed: string;
  otpauthUri: string;
}

export interface DemoHub {
  runtime: HubRuntime;
  configFile: string;
  /** file holding the edge's secret (mode 0600), for the edge's forward.edgeKeyPath */
  edgeKeyFile: string;
  accounts: { investigator: DemoAccount; supervisor: DemoAccount; auditor: DemoAccount };
}

/** Start the hub (127.0.0.1, any free port) on PGlite in `<dir>/hub`, add the agency, the edge, the people. */
export async function startDemoHub(dir: string, logger: Logger): Promise<DemoHub> {
  const configFile = path.join(dir, 'hub.yaml');
  writeFileSync(
    configFile,
    YAML.stringify({
      // Its own Redis queue prefix: where Redis runs, the demo's schedules stay apart from a real hub's
      // (without Redis the hub runs them on local timers; the demo needs only Node.js).
      hub: { dataDir: './hub', host: '127.0.0.1', retention: { queuePrefix: 'alpr-demo' } },
      log: { level: 'warn' },
    }),
  );
  const runtime = await startHub(loadConfig(configFile), { logger, port: 0 });
  try {
    const ctx = runtime.context;
    await addAgency(
      ctx,
      { ori: DEMO_AGENCY.ori, name: DEMO_AGENCY.name, type: 'local_le', home: true },
      ACTOR,
    );
    const creds = await enrolEdge(
      ctx,
      { edgeId: DEMO_EDGE_ID, agencyOri: DEMO_AGENCY.ori, label: 'the demo edge (two cameras)' },
      ACTOR,
    );
    const edgeKeyFile = path.join(dir, 'hub-edge.key');
    writeSecret(edgeKeyFile, `${creds.secret}\n`);

    const admin: ChangeActor = { username: ACTOR, role: null, agencyOri: null, clientAddress: null };
    const add = async (username: string, role: DemoAccount['role']) => {
      const e = await createUser(ctx, { username, role, agencyOri: DEMO_AGENCY.ori }, admin);
      if (!e.generatedPassword) throw new Error(`no password generated for ${username}`);
      const account = {
        username,
        role,
        password: e.generatedPassword,
        seed: e.seedBase32,
        otpauthUri: e.otpauthUri,
      };
      return { account, id: e.user.id };
    };
    const det = await add('det.rivera', 'investigator');
    const sgt = await add('sgt.chen', 'supervisor');
    const aud = await add('aud.kim', 'auditor');
    // Before a first search the policy wants a supervisor's approval and the training on record.
    const approver = {
      username: sgt.account.username,
      role: 'supervisor',
      agencyOri: DEMO_AGENCY.ori,
      clientAddress: null,
    };
    await approveUser(ctx, det.id, approver, null, ACTOR);
    await recordTraining(ctx, det.id, ctx.clock(), admin);
    return {
      runtime,
      configFile,
      edgeKeyFile,
      accounts: { investigator: det.account, supervisor: sgt.account, auditor: aud.account },
    };
  } catch (error) {
    await runtime.shutdown.run('demo hub setup failed');
    throw error;
  }
}

function writeSecret(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** The TOTP code an authenticator app would show for `seed` at `at`. */
export function totpCode(seed: string, at: number): string {
  const bytes = base32Decode(seed);
  if (!bytes.ok) throw new Error(`bad TOTP seed: ${bytes.message}`);
  return hotp(bytes.bytes, totpStep(at));
}

/** A signed-in person: requests carry their session cookie. */
export interface DemoSession {
  get(url: string): Promise<{ status: number; body: Record<string, unknown> }>;
  post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Sign in over HTTP as a person does: password + TOTP code, then accept the notice shown. */
export async function signIn(hubUrl: string, who: DemoAccount): Promise<DemoSession> {
  const call = async (cookie: string | undefined, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${hubUrl}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed, cookie: response.headers.get('set-cookie') };
  };
  // Each demo account signs in once per run, so one code per account is enough (a code is accepted once).
  const login = await call(undefined, 'POST', '/api/v1/session', {
    username: who.username,
    password: who.password,
    totp: totpCode(who.seed, Date.now()),
  });
  if (login.status !== 200 || !login.cookie) {
    throw new Error(`sign-in of ${who.username} refused (${login.status}): ${String(login.body.message)}`);
  }
  const cookie = login.cookie.split(';')[0]!;
  const session = await call(cookie, 'GET', '/api/v1/session');
  const notice = session.body.notice as { hash?: string } | undefined;
  if (session.status !== 200 || !notice?.hash) {
    throw new Error(`GET /api/v1/session for ${who.username}: ${session.status}`);
  }
  const ack = await call(cookie, 'POST', '/api/v1/session/acknowledge', { noticeHash: notice.hash });
  if (ack.status !== 200) throw new Error(`notice not accepted for ${who.username}: ${ack.status}`);
  return {
    get: async (url) => call(cookie, 'GET', url),
    post: async (url, body) => call(cookie, 'POST', url, body),
  };
}
