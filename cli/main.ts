// The `alpr` command line: one binary, one subcommand per job. Later features register here.
import { Command, CommanderError } from 'commander';
import { SigningKeyError } from '../shared/audit/signing-key.js';
import { EventSinkError } from '../shared/events/sinks/secret-files.js';
import { ALPR_VERSION } from '../shared/runtime/version.js';
import { StoreOpenError } from '../shared/store/store-open-error.js';
import { CliError, ExitCode } from './cli-error.js';
import { registerAuditCommands } from './commands/audit.command.js';
import { registerConfigCommands } from './commands/config.command.js';
import { registerDbCommands } from './commands/db.command.js';
import { registerDemoCommands } from './commands/demo.command.js';
import { registerEdgeCommands } from './commands/edge.command.js';
import { registerEventsCommands } from './commands/events.command.js';
import { registerHoldCommands } from './commands/hold.command.js';
import { registerHubCommands } from './commands/hub.command.js';
import { registerHubAuditCommands } from './commands/hub-audit.command.js';
import { registerHubEdgeCommands } from './commands/hub-edges.command.js';
import { registerHubHoldCommands } from './commands/hub-hold.command.js';
import { registerHubHotlistCommands } from './commands/hub-hotlists.command.js';
import { registerHubRetentionCommands } from './commands/hub-retention.command.js';
import { registerHubSitesCommands } from './commands/hub-sites.command.js';
import { registerHubUsersCommands } from './commands/hub-users.command.js';
import { registerLiveCommands } from './commands/live.command.js';
import { registerModelsCommands } from './commands/models.command.js';
import { registerPurgeCommands } from './commands/purge.command.js';
import { registerRecognitionCommands } from './commands/recognition.command.js';
import { registerSiteCheckCommands } from './commands/site-check.command.js';
import { registerSitesCommands } from './commands/sites.command.js';
import { registerWorkerCommands } from './commands/worker.command.js';
import { type CliEnv, envFromProcess } from './context.js';

export function buildProgram(env: CliEnv): Command {
  const program = new Command('alpr')
    .description('Privacy-enforcing ALPR edge system: cameras, recognition, geofence, retention, audit')
    .version(ALPR_VERSION, '-V, --version', 'print the alpr version')
    .showHelpAfterError('(run with --help for usage)')
    // Options belong to the command they follow: `alpr hub -c F` and `alpr hub edges list -c F` both work.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => env.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => env.stderr(s.replace(/\n$/, '')),
    });
  registerConfigCommands(program, env);
  registerAuditCommands(program, env);
  registerDbCommands(program, env);
  registerEdgeCommands(program, env);
  registerLiveCommands(program, env);
  registerModelsCommands(program, env, process.env.ALPR_MODELS_FROM || undefined);
  registerSitesCommands(program, env);
  registerSiteCheckCommands(program, env);
  registerHoldCommands(program, env);
  registerPurgeCommands(program, env);
  registerWorkerCommands(program, env);
  const hub = registerHubCommands(program, env);
  registerHubHoldCommands(hub, env);
  registerHubRetentionCommands(hub, env);
  registerHubSitesCommands(hub, env);
  registerHubHotlistCommands(hub, env);
  registerEventsCommands(program, env);
  registerHubEdgeCommands(hub, env);
  registerHubUsersCommands(hub, env);
  registerHubAuditCommands(hub, env);

  registerRecognitionCommands(program, env);
  registerDemoCommands(program, env, process.env.ALPR_MODELS_FROM || undefined, main);
  return program;
}

/** Run the CLI; returns the process exit code. */
export async function main(argv: string[], env: CliEnv = envFromProcess()): Promise<number> {
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with a CommanderError of exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    if (error instanceof CliError) {
      env.stderr(`alpr: ${error.message}`);
      for (const line of error.details) env.stderr(line);
      return error.exitCode;
    }
    // Bad files met deep inside a command (a store or key that cannot be used): one line, exit 2.
    if (
      error instanceof StoreOpenError ||
      error instanceof SigningKeyError ||
      error instanceof EventSinkError
    ) {
      env.stderr(`alpr: ${error.message}`);
      return ExitCode.invalidInput;
    }
    const sqlite = (error as { code?: unknown }).code;
    if (typeof sqlite === 'string' && sqlite.startsWith('SQLITE_')) {
      env.stderr(`alpr: store error (${sqlite}): ${(error as Error).message}`);
      return ExitCode.failure;
    }
    // Anything else is a bug: one line, and the stack only when asked for (ALPR_DEBUG=1).
    if (env.debug) env.stderr(`alpr: unexpected error: ${(error as Error).stack ?? String(error)}`);
    else
      env.stderr(
        `alpr: unexpected error: ${(error as Error).message ?? String(error)} (ALPR_DEBUG=1 shows where)`,
      );
    return ExitCode.failure;
  }
}
