// `alpr events test|secret`: send a test event to every configured sink and print what each answered
// (an operator's first check of a new receiver), and make a webhook signing secret file.
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createEventBus } from '../../shared/events/events-from-config.js';
import type { ProbeResult } from '../../shared/events/sinks/event-sink.js';
import { newWebhookSecret } from '../../shared/events/webhook-signature.js';
import { createLogger } from '../../shared/logging/logger.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, loadCliConfig, printJson } from '../context.js';

interface TestOptions extends ConfigOption {
  hub?: boolean;
  json?: boolean;
}

const HINTS: Record<string, string> = {
  http_401: 'the receiver refused the request: does it hold the same secret file content?',
  http_403: 'the receiver refused the request: does it hold the same secret file content?',
  http_404: 'no receiver at that path: check the URL',
  timeout: 'no answer within timeoutMs',
  network_ECONNREFUSED: 'nothing listens at that address and port',
  network_ENOTFOUND: 'the host name does not resolve',
  connack_5: 'the broker refused the credentials (credentialsPath)',
  connack_4: 'the broker refused the user name or password (credentialsPath)',
};

export function registerEventsCommands(program: Command, env: CliEnv): void {
  const events = program.command('events').description('Plate-free operations events: webhooks and MQTT');

  events
    .command('test')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--hub', 'send as the hub (node id `hub`) rather than as this edge')
    .option('--json', 'one JSON line per sink')
    .description(
      'Send an events.test event to every configured webhook and MQTT broker; print what each answered',
    )
    .action(async (options: TestOptions) => {
      const loaded = loadCliConfig(env, options);
      const { config } = loaded;
      if (config.events.webhooks.length === 0 && !config.events.mqtt) {
        throw new CliError(
          `no event sinks in ${loaded.source ?? 'the built-in defaults'}: add events.webhooks or events.mqtt`,
          ExitCode.invalidInput,
        );
      }
      const bus = createEventBus(config.events, {
        kind: options.hub ? 'hub' : 'edge',
        defaultNodeId: options.hub ? 'hub' : config.node.id,
        defaultDir: options.hub ? config.hub.dataDir : path.dirname(config.store.path),
        clock: systemClock,
        logger: createLogger({ level: 'silent' }),
      });
      let results: ProbeResult[];
      try {
        results = await bus.probe();
      } finally {
        await bus.close();
      }
      for (const r of results) {
        if (options.json) printJson(env, r);
        else {
          const hint = r.ok ? '' : HINTS[r.outcome] ? ` (${HINTS[r.outcome]})` : '';
          env.stdout(
            `${r.ok ? 'ok  ' : 'FAIL'} ${r.endpoint}  ${r.target}  ${r.outcome} in ${r.ms} ms${hint}`,
          );
        }
      }
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0)
        throw new CliError(`${failed} of ${results.length} sink(s) did not accept the test event`);
    });

  events
    .command('secret')
    .argument('<file>', 'where to write the secret (mode 0600; refused if it exists)')
    .description('Write a new webhook signing secret (whsec_…) to FILE; give the receiver the same content')
    .action((file: string) => {
      const target = resolveFrom(env.cwd, file);
      let fd: number;
      try {
        fd = openSync(target, 'wx', 0o600);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST' ? `${file} exists; not overwritten` : `cannot create ${file} (${code})`,
          ExitCode.invalidInput,
        );
      }
      try {
        writeSync(fd, `${newWebhookSecret()}\n`);
      } finally {
        closeSync(fd);
      }
      env.stdout(`${file}: new webhook secret written (mode 0600); point events.webhooks[].secretPath at it`);
    });
}
