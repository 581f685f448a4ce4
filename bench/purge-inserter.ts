// Bench helper process: inserts reads at a steady rate through the normal ReadsRepository (its own
// connection, FULL sync, busy_timeout) and reports per-insert latency for the window it is told to measure.
import { openStore } from '../shared/store/store.js';

const [file, rateText, verdictText] = process.argv.slice(2);
if (!file || !rateText || !verdictText) throw new Error('usage: purge-inserter DB RATE_PER_S VERDICT_ID');
const intervalMs = 1000 / Number(rateText);
const verdictId = Number(verdictText);
const store = openStore(file, { retentionDays: 30 });

let measuring = false;
let stopping = false;
const latencies: number[] = [];
let seq = 0;

process.on('message', (msg: string) => {
  if (msg === 'start') {
    latencies.length = 0;
    measuring = true;
  } else if (msg === 'report') {
    process.send?.({ latencies: latencies.splice(0) });
  } else if (msg === 'stop') stopping = true;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function loop() {
  process.send?.('ready');
  let next = performance.now();
  while (!stopping) {
    const now = Date.now();
    const plate = `N${(seq++).toString(36).toUpperCase().padStart(6, '0')}`;
    const t0 = performance.now();
    store.reads.insert(
      {
        cameraId: 'cam-1',
        plate,
        rawText: plate,
        confidence: 0.9,
        charConfidences: Array.from(plate, () => 0.9),
        capturedAt: now,
        box: { x: 10, y: 20, width: 120, height: 60 },
        modelId: 'bench',
        verdictId,
        evidence: { frames: 3, reads: [plate, plate] },
      },
      now,
    );
    const elapsed = performance.now() - t0;
    if (measuring) latencies.push(elapsed);
    next += intervalMs;
    // If an insert was blocked, carry on from now rather than bursting to catch up.
    if (next < performance.now()) next = performance.now();
    await sleep(next - performance.now());
  }
  store.close();
  process.send?.({ latencies }, () => process.exit(0));
}

void loop();
