// The simulated camera is ready when its stream answers, not when its process prints READY (issue 10,
// item 23: the demo once timed out waiting for its cameras). With the real GStreamer RTSP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspClipServer } from '../../sim/camera/rtsp-clip-server.js';
import { type ClipServerFixture, rtspServerSkipReason, startClipServer } from '../support/rtsp-server.js';
import { ALLOW_SKIP } from '../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);

describe.skipIf(skip !== undefined)('RtspClipServer.waitUntilServing', () => {
  let fixture: ClipServerFixture;
  beforeAll(async () => {
    fixture = await startClipServer(
      'alpr-ready-',
      { path: '/demo', user: 'tech', password: 'pw' },
      { seconds: 5 },
    );
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('resolves once the stream answers DESCRIBE with 200, credentials included', async () => {
    await expect(fixture.server.waitUntilServing(10_000)).resolves.toBeUndefined();
  });

  it('says what the server answered when the stream is not served', async () => {
    const wrong = new RtspClipServer({ file: fixture.clip, path: '/elsewhere' });
    wrong.port = fixture.server.port; // same server, a path it does not serve
    await expect(wrong.waitUntilServing(500)).rejects.toThrow(
      /is not serving \/elsewhere: RTSP\/1.0 (401|404)/,
    );
  });
});
