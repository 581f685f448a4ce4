// What commands share: loading the config (once, validated), opening the store, a logger,
// and writing output. Commands stay thin: they parse options, call shared/edge/worker code, print.
import { ConfigError, issuesToLines, type LoadedConfig, loadConfig } from '../shared/config/index.js';
import { createLogger, type Logger } from '../shared/logging/logger.js';
import { resolveFrom } from '../shared/runtime/paths.js';
import { openStore, type Store } from '../shared/store/store.js';
import { StoreOpenError } from '../shared/store/store-open-error.js';
import { CliError, ExitCode } from './cli-error.js';

export interface CliEnv {
  /** ALPR_CONFIG: config file used when --config is not given. */
  configPath: string | undefined;
  cwd: string;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Raw stderr writes for a redrawn progress bar; set only when stderr is a terminal. */
  stderrTTY?: (chunk: string) => void;
  /** ALPR_DEBUG=1: print the stack trace of an unexpected error. */
  debug?: boolean;
}

export function envFromProcess(): CliEnv {
  return {
    configPath: process.env.ALPR_CONFIG || undefined,
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    stderrTTY: process.stderr.isTTY ? (chunk) => process.stderr.write(chunk) : undefined,
    debug: process.env.ALPR_DEBUG === '1',
  };
}

export interface ConfigOption {
  config?: string;
}
export interface DbOption extends ConfigOption {
  db?: string;
}

/** Load --config (or ALPR_CONFIG, or built-in defaults); an invalid file ends the command with exit 2. */
export function loadCliConfig(env: CliEnv, options: ConfigOption): LoadedConfig {
  const file = options.config ?? env.configPath;
  try {
    return loadConfig(file ? resolveFrom(env.cwd, file) : undefined, env.cwd);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(
        `invalid config ${file ?? '(defaults)'}`,
        ExitCode.invalidInput,
        issuesToLines(error.issues),
      );
    }
    throw error;
  }
}

/**
 * How a command uses the store. `read`: read-only, the file must exist, never migrated; `write`: the file
 * must exist (and is migrated); `create`: created when missing (only what sets a box up: sites import,
 * db migrate). No command that reads a store creates an empty one where a path was mistyped.
 */
export type StoreAccess = 'read' | 'write' | 'create';

/** The store file named by --db, else by the config's store.path. */
export function cliStoreFile(env: CliEnv, options: DbOption, loaded: LoadedConfig): string {
  return options.db ? resolveFrom(env.cwd, options.db) : loaded.config.store.path;
}

/** Open the store named by --db, else by the config's store.path; a bad file ends the command with exit 2. */
export function openCliStore(
  env: CliEnv,
  options: DbOption,
  loaded = loadCliConfig(env, options),
  access: StoreAccess = 'write',
): Store {
  try {
    return openStore(cliStoreFile(env, options, loaded), {
      retentionDays: loaded.config.retention.days,
      busyTimeoutMs: loaded.config.store.busyTimeoutMs,
      readonly: access === 'read',
      mustExist: access !== 'create',
    });
  } catch (error) {
    if (error instanceof StoreOpenError) {
      throw new CliError(`store ${error.message}`, ExitCode.invalidInput);
    }
    throw error;
  }
}

export function cliLogger(loaded: LoadedConfig | undefined, level?: string): Logger {
  return createLogger({ level: level ?? loaded?.config.log.level ?? 'info' });
}

/** `--json` convention: the last line of stdout is one JSON object. */
export function printJson(env: CliEnv, value: unknown): void {
  env.stdout(JSON.stringify(value));
}
