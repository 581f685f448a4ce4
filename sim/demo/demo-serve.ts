// `alpr demo --serve`: after the steps the hub keeps running so a person can click through its pages as
// the demo's investigator, supervisor or auditor. The demo accounts' logins go to <dir>/demo-login.json
// (mode 0600; fictional accounts on a hub bound to 127.0.0.1) so `alpr demo totp` can print a fresh code
// whenever the 30-second one has run out. Ctrl-C stops the hub cleanly (the demo's finally does).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { type DemoAccount, type DemoHub, totpCode } from './demo-hub.js';

const LOGIN_FILE = 'demo-login.json';

interface LoginFile {
  url: string;
  accounts: DemoAccount[];
}

/** Print how to sign in, then wait for SIGINT/SIGTERM. */
export async function serveDemoHub(dir: string, hub: DemoHub, log: (line: string) => void): Promise<void> {
  const accounts = Object.values(hub.accounts);
  const file = path.join(dir, LOGIN_FILE);
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ url: hub.runtime.url, accounts } satisfies LoginFile, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  const relative = path.relative(process.cwd(), dir) || '.';
  const rel = relative.startsWith('..') ? dir : relative;
  log('');
  log(`The demo hub keeps running: ${hub.runtime.url}/health`);
  log(
    `  sign in at ${hub.runtime.url}/login (the transparency portal needs no sign-in: ${hub.runtime.url}/transparency)`,
  );
  for (const a of accounts) {
    log(`  ${a.role.padEnd(12)} username ${a.username}  password ${a.password}`);
  }
  const det = hub.accounts.investigator;
  const now = demoTotp(dir, det.username, Date.now());
  log(`  TOTP code for ${det.username}: ${now.code} (accepted for the next ${now.validS} s)`);
  log(`  a fresh code any time: npx alpr demo totp --dir ${rel} [--user USERNAME]`);
  log(`  or add it to an authenticator app: ${det.otpauthUri}`);
  log('  Ctrl-C stops the hub.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log('stopping the demo hub');
}

/**
 * A TOTP code of a demo account, from the login file `--serve` wrote: the next 30-second step's, which the
 * hub accepts from now on (±1 step) and which is later than any step the demo's own sign-ins used (a code
 * at or below the last step used is refused as a replay).
 */
export function demoTotp(
  dir: string,
  username: string | undefined,
  at: number,
): { username: string; code: string; validS: number } {
  let login: LoginFile;
  try {
    login = JSON.parse(readFileSync(path.join(dir, LOGIN_FILE), 'utf8')) as LoginFile;
  } catch {
    throw new Error(`no ${LOGIN_FILE} in ${dir}: run npm run demo -- --serve first`);
  }
  const account = username ? login.accounts.find((a) => a.username === username) : login.accounts[0];
  if (!account) {
    throw new Error(
      `no demo account ${username}; there are ${login.accounts.map((a) => a.username).join(', ')}`,
    );
  }
  return {
    username: account.username,
    code: totpCode(account.seed, at + 30_000),
    validS: 60 - (Math.floor(at / 1000) % 30),
  };
}
