// The dead-letter file: one JSON line per event no sink could deliver, for an operator to inspect or
// replay. Only events that passed the plate-free check reach a sink, so the file is plate-free by
// construction; it holds no URL or response body either. Created with mode 0600; capped in size.
import { appendFileSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { AlprEvent } from '../event-catalog.js';

export interface DeadLetter {
  /** When it was given up on (ISO-8601 UTC). */
  at: string;
  endpoint: string;
  /** The last outcome (`http_503`, `timeout`, `network_ECONNREFUSED`, `shutdown`, …). */
  reason: string;
  attempts: number;
  event: AlprEvent;
}

export class DeadLetterFile {
  private bytes: number | undefined;
  private warnedFull = false;
  private warnedError = false;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly logger: Logger,
  ) {}

  /** Append one dead letter; returns false when it could not be written (full or an I/O error, logged once). */
  append(entry: DeadLetter): boolean {
    const line = `${JSON.stringify(entry)}\n`;
    try {
      this.bytes ??= this.currentSize();
      if (this.bytes + line.length > this.maxBytes) {
        if (!this.warnedFull) {
          this.logger.error(
            { file: this.file, maxBytes: this.maxBytes },
            'dead-letter file is full; further dead letters are only counted',
          );
          this.warnedFull = true;
        }
        return false;
      }
      appendFileSync(this.file, line, { mode: 0o600 });
      this.bytes += Buffer.byteLength(line);
      return true;
    } catch (error) {
      if (!this.warnedError) {
        this.logger.error(
          { file: this.file, err: error },
          'cannot write the dead-letter file; dead letters are only counted',
        );
        this.warnedError = true;
      }
      this.bytes = undefined;
      return false;
    }
  }

  private currentSize(): number {
    mkdirSync(path.dirname(this.file), { recursive: true });
    try {
      return statSync(this.file).size;
    } catch {
      closeSync(openSync(this.file, 'a', 0o600));
      return 0;
    }
  }
}
