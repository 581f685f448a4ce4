// A real pino logger whose JSON lines are kept in memory, so tests can read what operators would see.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../shared/logging/logger.js';

export interface CapturedLog {
  logger: Logger;
  /** Raw JSON lines written so far. */
  lines: string[];
  /** Parsed entries, optionally filtered by message. */
  entries(msg?: string): Array<Record<string, unknown>>;
  text(): string;
}

export function captureLogs(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(line);
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  return {
    logger,
    lines,
    entries(msg) {
      const all = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      return msg === undefined ? all : all.filter((e) => e.msg === msg);
    },
    text: () => lines.join('\n'),
  };
}
