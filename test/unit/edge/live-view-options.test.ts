import { describe, expect, it } from 'vitest';
import { renderLivePage } from '../../../edge/live/live-page.js';
import { LIVE_VIEW_FPS, liveViewEncoding } from '../../../edge/live/live-view-options.js';

describe('liveViewEncoding', () => {
  it('scales to at most 960 wide with even sizes and an MPEG-1 legal frame rate', () => {
    const e = liveViewEncoding({ url: 'rtsp://cam/s', frame: { width: 1920, height: 1080 } });
    expect([e.width, e.height]).toEqual([960, 540]);
    expect(e.ffmpegOptions['-r']).toBe(String(LIVE_VIEW_FPS));
    expect(e.ffmpegOptions['-vf']).toBe('scale=960:540');
    expect(e.input).toBe('rtsp://cam/s');
  });

  it('paces a file:// clip in real time and passes a plain path', () => {
    const e = liveViewEncoding({ url: 'file:///clips/a%20b.mp4', frame: { width: 640, height: 361 } });
    expect(e.input).toBe('/clips/a b.mp4');
    expect(e.ffmpegOptions['-vf']).toBe('realtime,scale=640:362');
  });
});

describe('renderLivePage', () => {
  it('loads JSMpeg from this box (no CDN) and escapes the camera label', () => {
    const html = renderLivePage({ id: 'c1', label: '<Main & 5th>' }, 9999);
    expect(html).toContain('<script src="/jsmpeg.min.js"></script>');
    expect(html).toContain("location.hostname + ':9999/'");
    expect(html).toContain('&lt;Main &amp; 5th&gt;');
    expect(html).not.toMatch(/https?:\/\//);
  });
});
