import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../shared/logging/logger.js';

describe('redactUrl', () => {
  it('hides user and password of an RTSP URL', () => {
    expect(redactUrl('rtsp://admin:s3cret@10.0.0.5:554/s1')).toBe('rtsp://***:***@10.0.0.5:554/s1');
  });
  it('leaves a URL without credentials alone', () => {
    expect(redactUrl('rtsp://10.0.0.5/s1')).toBe('rtsp://10.0.0.5/s1');
  });
});

describe('createLogger', () => {
  it('redacts URLs and plates in structured fields', () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ destination }).child({ component: 'test' });
    logger.info({ url: 'rtsp://a:b@h/s', read: { plate: '7ABC123' } }, 'hello');
    const line = chunks.join('');
    expect(line).not.toContain('a:b@');
    expect(line).not.toContain('7ABC123');
    expect(JSON.parse(line)).toMatchObject({ component: 'test', msg: 'hello', url: '[redacted]' });
  });
});
