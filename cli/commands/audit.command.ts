// `alpr audit verify|list|key`: check the tamper-evident audit chain and its signed anchors, read its
// events (purge receipts, holds…), and print the public key that verifies the anchors.
import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { loadSigningKey, SigningKeyError } from '../../shared/audit/signing-key.js';
import { isCanonicalJson } from '../../shared/canonical-json.js';
import { auditPathsFor } from '../../shared/config/audit.schema.js';
import { CliError, ExitCode } from '../cli-error.js';
import {
  type CliEnv,
  cliStoreFile,
  type DbOption,
  loadCliConfig,
  openCliStore,
  printJson,
} from '../context.js';
import { collectExpectedHead, runAuditVerify, type VerifyOptions } from './audit-verify.js';

/** A whole number from 1 to `max`, or a clear refusal (commander turns it into exit 2). */
export function positiveInteger(max: number) {
  return (value: string): number => {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`"${value}" is not a whole number from 1 to ${max}`);
    }
    return n;
  };
}

export function registerAuditCommands(program: Command, env: CliEnv): void {
  const audit = program
    .command('audit')
    .description('Verify and read the tamper-evident audit chain and its signed anchors');
  const store = (cmd: Command) =>
    cmd
      .option('--db <file>', 'SQLite store (default: store.path from the config)')
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)');

  store(audit.command('verify'))
    .option(
      '--anchors <file>',
      'anchor file of signed heads (default: audit.anchorPath, else beside the store)',
    )
    .option(
      '--public-key <key>',
      'verify anchors with this public key (base64 or PEM, or a file) instead of the local key file',
    )
    .option(
      '--expect-head <seq:hash>',
      'also require row SEQ to have HASH (from a receipt or the hub; repeatable)',
      collectExpectedHead,
      [],
    )
    .option('--chain <id>', 'chain name in the anchors (default: node.id from the config)')
    .option('--strict', 'exit 1 on warnings too (audit times going backwards, no anchors, torn anchor lines)')
    .option('--json', 'print the result as one JSON line')
    .description(
      'Check the hash chain (read-only), then its signed anchors and any expected heads; exit 1 naming each failed check',
    )
    .action((options: VerifyOptions) => runAuditVerify(env, options));

  store(audit.command('list'))
    .option('--kind <kind>', 'only events of this kind, e.g. purge.receipt, hold.created')
    .option('--limit <n>', 'newest N events (1-100000)', positiveInteger(100_000), 20)
    .option('--json', 'one JSON object per line')
    .description(
      'Print audit events, newest first, each payload exactly as stored (the bytes its hash covers)',
    )
    .action((options: DbOption & { kind?: string; limit: number; json?: boolean }) => {
      const opened = openCliStore(env, options, loadCliConfig(env, options), 'read');
      try {
        const rows = opened.audit.list({ kind: options.kind, limit: options.limit });
        if (!options.json && rows.length > 0) {
          env.stdout('# seq, time, kind, actor, row hash, payload exactly as stored (what the hash covers)');
        }
        for (const row of rows) {
          const canonical = isCanonicalJson(row.payload);
          if (options.json) {
            printJson(env, {
              seq: row.seq,
              at: row.at,
              kind: row.kind,
              actor: row.actor,
              payloadText: row.payload,
              canonical,
              // Parsed only when canonical: a duplicate key would otherwise show a value the hash never saw.
              payload: canonical ? (JSON.parse(row.payload) as unknown) : null,
              prevHash: row.prevHash,
              hash: row.hash,
            });
          } else {
            env.stdout(
              `#${row.seq} ${new Date(row.at).toISOString()} ${row.kind} by ${row.actor} ${row.hash.slice(0, 12)}… ${row.payload}` +
                (canonical ? '' : '  [NOT CANONICAL JSON: this row fails `alpr audit verify`]'),
            );
          }
        }
        if (!options.json && rows.length === 0) env.stdout('no audit events');
      } finally {
        opened.close();
      }
    });

  store(audit.command('key'))
    .option('--create', 'create the key (mode 0600) if it does not exist yet')
    .option('--json', 'print as one JSON line')
    .description(
      "Print the public key (base64 and PEM) and key id that verify this node's signed audit heads",
    )
    .action((options: DbOption & { create?: boolean; json?: boolean }) => {
      const loaded = loadCliConfig(env, options);
      const { keyPath } = auditPathsFor(loaded.config.audit, cliStoreFile(env, options, loaded));
      if (!options.create && !existsSync(keyPath)) {
        throw new CliError(
          `no audit signing key at ${keyPath}: alpr edge and alpr worker create it on first start (or pass --create)`,
          ExitCode.invalidInput,
        );
      }
      let key: ReturnType<typeof loadSigningKey>;
      try {
        key = loadSigningKey(keyPath, { create: options.create });
      } catch (error) {
        if (error instanceof SigningKeyError) throw new CliError(error.message, ExitCode.invalidInput);
        throw error;
      }
      const pem = (key.publicKey.export({ format: 'pem', type: 'spki' }) as string).trimEnd();
      if (options.json) {
        printJson(env, {
          keyId: key.keyId,
          publicKey: key.publicKeyBase64,
          pem,
          keyFile: key.file,
          created: key.created,
        });
        return;
      }
      env.stdout(`key id      ${key.keyId}`);
      env.stdout(`public key  ${key.publicKeyBase64}   (Ed25519, raw 32 bytes, base64)`);
      for (const line of pem.split('\n')) env.stdout(line);
      env.stdout(
        `key file    ${key.file}${key.created ? ' (created now)' : ''}: keep it mode 0600 and off backups; give auditors the public key above`,
      );
    });
}
