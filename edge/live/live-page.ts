// The small local page technicians open to aim a camera: plays the WebSocket MPEG-1 stream with JSMpeg,
// served from this box (no CDN: edge boxes often have no internet).

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page for one camera; it connects to the WebSocket on the same host name, port `wsPort`. */
export function renderLivePage(camera: { id: string; label?: string }, wsPort: number): string {
  const title = `Live view: ${camera.id}${camera.label ? ` (${camera.label})` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; background: #111; color: #eee; font: 14px system-ui, sans-serif; }
  header { padding: 8px 12px; display: flex; gap: 16px; align-items: baseline; }
  #status { color: #9c9; }
  canvas { display: block; width: 100%; max-width: 1280px; margin: 0 auto; background: #000; }
</style>
</head>
<body>
<header><strong>${escapeHtml(title)}</strong><span id="status">connecting…</span></header>
<canvas id="video"></canvas>
<script src="/jsmpeg.min.js"></script>
<script>
  var statusEl = document.getElementById('status'); // not "status": that is window.status, a string
  var url = 'ws://' + location.hostname + ':${wsPort}/';
  var lastFrame = 0;
  var player = new JSMpeg.Player(url, {
    canvas: document.getElementById('video'),
    audio: false,
    autoplay: true,
    onVideoDecode: function () {
      lastFrame = Date.now();
      if (statusEl.textContent !== 'live') statusEl.textContent = 'live';
    },
  });
  // The server restarts ffmpeg when the camera drops; tell the technician while no picture arrives.
  setInterval(function () {
    var age = Date.now() - lastFrame;
    statusEl.textContent = lastFrame === 0 ? 'connecting…' : age < 3000 ? 'live' : 'no picture for ' + Math.round(age / 1000) + ' s';
  }, 500);
  window.addEventListener('beforeunload', function () { player.destroy(); });
</script>
</body>
</html>
`;
}
