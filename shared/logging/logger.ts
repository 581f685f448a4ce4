// Structured logging (pino) to stderr, so stdout stays free for command output and `--json` lines.
// Child loggers carry the component and camera; secrets and plates in debug dumps are redacted.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'url',
  '*.url',
  'password',
  '*.password',
  'totpSecret',
  '*.totpSecret',
  'plate',
  '*.plate',
  'rawText',
  '*.rawText',
  'headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Write here instead of stderr (tests). */
  destination?: pino.DestinationStream;
}

/** The root logger of a process; components take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/**
 * Replace the password (and user) of a URL with `***`, for logs, metrics and errors.
 * @example redactUrl('rtsp://admin:pw@10.0.0.5/s1') // 'rtsp://***:***@10.0.0.5/s1'
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    // Not parseable as a URL: strip anything that looks like userinfo before the host.
    return url.replace(/\/\/[^/@]*@/, '//***:***@');
  }
}
