// `alpr audit verify`: the chain, then its signed anchors, then heads given on the command line; the
// store is opened read-only and never migrated. Exit 1 names every check that failed, exit 2 bad input.
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { readAnchors } from '../../shared/audit/anchor-file.js';
import { parsePublicKey } from '../../shared/audit/signed-head.js';
import { loadSigningKey, SigningKeyError } from '../../shared/audit/signing-key.js';
import {
  type StoreVerification,
  type VerifyInput,
  verifyAuditStore,
} from '../../shared/audit/verify-store.js';
import { auditPathsFor } from '../../shared/config/audit.schema.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import {
  type CliEnv,
  cliStoreFile,
  type DbOption,
  loadCliConfig,
  openCliStore,
  printJson,
} from '../context.js';

export interface VerifyOptions extends DbOption {
  json?: boolean;
  anchors?: string;
  publicKey?: string;
  expectHead: { seq: number; hash: string }[];
  chain?: string;
  strict?: boolean;
}

/** `--expect-head SEQ:HASH`, repeatable. */
export function collectExpectedHead(
  value: string,
  previous: { seq: number; hash: string }[] = [],
): { seq: number; hash: string }[] {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(value.trim());
  if (!match || Number(match[1]) < 1) {
    throw new InvalidArgumentError(
      `"${value}" is not SEQ:HASH (a row number >= 1, a colon, 64 lowercase hex digits)`,
    );
  }
  return [...previous, { seq: Number(match[1]), hash: match[2]! }];
}

export function runAuditVerify(env: CliEnv, options: VerifyOptions): void {
  const loaded = loadCliConfig(env, options);
  const paths = auditPathsFor(loaded.config.audit, cliStoreFile(env, options, loaded));
  const anchorsFile = options.anchors ? resolveFrom(env.cwd, options.anchors) : paths.anchorPath;
  if (options.anchors && !existsSync(anchorsFile)) {
    throw new CliError(`--anchors ${anchorsFile}: no such file`, ExitCode.invalidInput);
  }
  const publicKey = options.publicKey
    ? givenPublicKey(env, options.publicKey)
    : localPublicKey(paths.keyPath);
  const anchors: VerifyInput['anchors'] = existsSync(anchorsFile)
    ? { file: anchorsFile, contents: readAnchorsOrExit(anchorsFile) }
    : { file: anchorsFile, missing: true };
  const store = openCliStore(env, options, loaded, 'read');
  let result: StoreVerification;
  try {
    result = verifyAuditStore({
      audit: store.audit,
      chain: options.chain ?? loaded.config.node.id,
      anchors,
      publicKey,
      expectedHeads: options.expectHead,
      strict: options.strict ?? false,
    });
  } finally {
    store.close();
  }
  report(env, store.file, result, options.json ?? false);
}

function report(env: CliEnv, file: string, result: StoreVerification, json: boolean): void {
  if (json) {
    // The chain's own verdict (rows, head or badSeq and reason) at the top, as before; `ok` is overall.
    const { chain, ...checks } = result;
    printJson(env, { file, ...chain, chainOk: chain.ok, ...checks });
  } else {
    const { chain, anchors } = result;
    if (chain.ok) {
      const head = chain.head ? `, head ${chain.head.hash.slice(0, 16)}… at row ${chain.head.seq}` : '';
      env.stdout(`audit chain intact: ${chain.rows} row(s)${head} (${file})`);
    }
    if (anchors.checked > 0 && anchors.latest) {
      env.stdout(
        `anchors: ${anchors.checked} signed head(s) verified with key ${anchors.keyId}; latest row ` +
          `${anchors.latest.seq} at ${anchors.latest.at}` +
          (anchors.rowsAfterLatest > 0
            ? `; ${anchors.rowsAfterLatest} row(s) after it are checked only against the chain itself`
            : ''),
      );
    }
    if (result.expectedHeads.given > 0 && result.expectedHeads.ok) {
      env.stdout(`expected head(s): ${result.expectedHeads.given} matched`);
    }
  }
  for (const warning of result.warnings) env.stderr(`warning: ${warning}`);
  if (!result.ok) {
    // Kept word for word from before for the chain check, which scripts grep for.
    const first = result.chain.ok
      ? `audit verify FAILED (${result.failed.join(', ')})`
      : `audit chain BROKEN at row ${result.chain.badSeq}: ${result.chain.reason} (${result.chain.rows} row(s) verified before it)`;
    throw new CliError(
      first,
      ExitCode.failure,
      result.failures.map((f) => `  ${f}`),
    );
  }
}

function givenPublicKey(env: CliEnv, value: string): KeyObject {
  const file = resolveFrom(env.cwd, value);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : value;
  try {
    return parsePublicKey(text);
  } catch (error) {
    throw new CliError(
      `--public-key: not an Ed25519 public key (base64 or PEM, or a file holding one, as \`alpr audit key\` prints): ${(error as Error).message}`,
      ExitCode.invalidInput,
    );
  }
}

/** The local key file's public half; undefined when there is no key file (then anchors cannot be checked). */
function localPublicKey(keyPath: string): KeyObject | undefined {
  if (!existsSync(keyPath)) return undefined;
  try {
    return loadSigningKey(keyPath).publicKey;
  } catch (error) {
    if (error instanceof SigningKeyError) {
      throw new CliError(
        `${error.message}; or verify with --public-key (printed by \`alpr audit key\`)`,
        ExitCode.invalidInput,
      );
    }
    throw error;
  }
}

function readAnchorsOrExit(file: string) {
  try {
    return readAnchors(file);
  } catch (error) {
    throw new CliError(`anchor file ${file}: ${(error as Error).message}`, ExitCode.invalidInput);
  }
}
