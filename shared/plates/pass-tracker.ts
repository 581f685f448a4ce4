// One read per vehicle pass (pure; time is an argument). Observations of the same plate in
// consecutive frames of one camera are grouped by string similarity plus box proximity; a pass ends
// when its plate is unseen for `windowMs` (or has lasted `maxPassMs`, e.g. a parked car) and yields
// one voted read with its evidence. A voted read that no longer meets the confidence or format rules
// is dropped and counted, never emitted. Text on a learned fixed-text region never starts a pass.
import { boxCentre, centredBox, intersectionArea, type PixelBox } from './box-geometry.js';
import { type FrameRead, votePlate } from './pass-voting.js';
import { type PlateFormatRule, plateSimilarity } from './plate-format.js';

/** One plate seen in one frame (the shape of the edge's PlateObservation). */
export interface ObservedPlate {
  text: string;
  rawText: string;
  confidence: number;
  charConfidences: number[];
  box: PixelBox;
  cropJpeg?: Buffer;
  /**
   * The text lies on a learned fixed-text region of the camera: it may continue a pass that is
   * already open (a car that stopped there) but never starts one.
   */
  onStaticRegion?: boolean;
  /**
   * Repeated from the last frame read because nothing moved since: keeps its pass alive but is not
   * another frame of evidence (identical pixels read twice prove nothing new).
   */
  replayed?: boolean;
  /** The detected text box the read was cut around (the box is the plate-sized crop). */
  textBox?: PixelBox;
}

/** One vehicle pass's voted read (what the edge's gate decides on and the store receives). */
export interface PassRead {
  cameraId: string;
  plate: string;
  rawText: string;
  confidence: number;
  charConfidences: number[];
  /** Capture time of the frame that best represents the vote. */
  capturedAt: number;
  box: PixelBox;
  /** The detected text box of that frame (where fixed text would be learned). */
  textBox?: PixelBox;
  /** Where the plate was last seen (a parked car's resting place). */
  endBox?: PixelBox;
  /** Crop of the pass's most confident frame (only when crops are enabled). */
  cropJpeg?: Buffer;
  evidence: {
    framesSeen: number;
    firstSeenAt: number;
    lastSeenAt: number;
    perFrame: Array<{ at: number; text: string; confidence: number }>;
    /** Farthest the plate's box centre got from where the pass began (px). */
    travelPx?: number;
    /** Height of the plate's text when the pass began (px). */
    heightPx?: number;
  };
}

export interface PlatePassTracker {
  /** Feed one frame's observations; returns the passes of this camera that ended. */
  observe(cameraId: string, capturedAt: number, observations: ObservedPlate[]): PassRead[];
  /** End passes unseen since `now - windowMs` (or too long); returns them. */
  flush(now: number): PassRead[];
  /** End every open pass (shutdown). */
  flushAll(): PassRead[];
  stats(): PassTrackerStats;
}

export interface PassTrackerSettings {
  /** A pass ends when its plate has not been seen for this long (ms). */
  windowMs: number;
  /** A pass is closed after this long even if the plate is still in view (ms). */
  maxPassMs: number;
  /** Similarity (0..1, O/0 and I/1 folded) an observation needs to join a pass whose box is near. */
  minSimilarity: number;
  /** Similarity that joins a pass wherever the box is (fast vehicles jump between frames). */
  strongSimilarity: number;
  /** Voted reads below these are dropped. */
  minConfidence: number;
  minCharConfidence: number;
  format: PlateFormatRule;
  /** Per-frame reads kept in a pass's evidence (the most confident, in time order). */
  maxEvidence: number;
}

interface OpenPass {
  cameraId: string;
  reads: Array<FrameRead & { box: PixelBox; textBox?: PixelBox }>;
  /** The crop of the most confident frame so far (a long pass must not hold a JPEG per frame). */
  crop?: { confidence: number; jpeg: Buffer };
  firstSeenAt: number;
  lastSeenAt: number;
  firstBox: PixelBox;
  lastBox: PixelBox;
  travelPx: number;
}

export interface PassTrackerStats {
  emitted: number;
  /** Passes whose voted read fell below the confidence or format rules. */
  dropped: number;
  /** Observations on fixed-text regions that joined no open pass (never started one). */
  staticIgnored: number;
}

/** Near enough to be the same vehicle one frame later: boxes overlap once grown to 3x their size. */
function near(a: PixelBox, b: PixelBox): boolean {
  const grow = (box: PixelBox) => centredBox(boxCentre(box), box.width * 3, box.height * 3);
  return intersectionArea(grow(a), b) > 0;
}

/**
 * Create a tracker. `observe` and `flush` return the passes that ended.
 * @example const t = createPassTracker(settings); t.observe('cam-1', now, observations); t.flush(now + 5000)
 */
export function createPassTracker(settings: PassTrackerSettings): PlatePassTracker {
  const open: OpenPass[] = [];
  const stats: PassTrackerStats = { emitted: 0, dropped: 0, staticIgnored: 0 };

  const finish = (pass: OpenPass): PassRead | undefined => {
    const voted = votePlate(pass.reads);
    // Frames were settled one by one; a vote assembled from several may need the preset once more.
    const vote = { ...voted, text: settings.format.normalise(voted.text) };
    const best = pass.reads[vote.bestIndex]!;
    const acceptable =
      settings.format.test(vote.text) &&
      vote.confidence >= settings.minConfidence &&
      Math.min(...vote.charConfidences) >= settings.minCharConfidence;
    if (!acceptable) {
      stats.dropped++;
      return undefined;
    }
    stats.emitted++;
    const evidence = [...pass.reads]
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, settings.maxEvidence)
      .sort((a, b) => a.at - b.at)
      .map((r) => ({ at: r.at, text: r.text, confidence: r.confidence }));
    const result: PassRead = {
      cameraId: pass.cameraId,
      plate: vote.text,
      rawText: best.rawText,
      confidence: vote.confidence,
      charConfidences: vote.charConfidences,
      capturedAt: best.at,
      box: best.box,
      ...(best.textBox ? { textBox: best.textBox } : {}),
      endBox: pass.lastBox,
      evidence: {
        framesSeen: pass.reads.length,
        firstSeenAt: pass.firstSeenAt,
        lastSeenAt: pass.lastSeenAt,
        perFrame: evidence,
        travelPx: Math.round(pass.travelPx * 10) / 10,
        heightPx: Math.round(pass.firstBox.height * 10) / 10,
      },
    };
    if (pass.crop) result.cropJpeg = pass.crop.jpeg;
    return result;
  };

  /** Close the passes `ended` selects; returns the acceptable ones in capture order. */
  const close = (ended: (p: OpenPass) => boolean): PassRead[] => {
    const done: PassRead[] = [];
    for (let i = open.length - 1; i >= 0; i--) {
      if (!ended(open[i]!)) continue;
      const [pass] = open.splice(i, 1);
      const result = finish(pass!);
      if (result) done.push(result);
    }
    return done.sort((a, b) => a.capturedAt - b.capturedAt);
  };

  const stale = (now: number) => (p: OpenPass) =>
    now - p.lastSeenAt > settings.windowMs || p.lastSeenAt - p.firstSeenAt >= settings.maxPassMs;

  return {
    observe(cameraId, capturedAt, observations) {
      const ended = close((p) => p.cameraId === cameraId && stale(capturedAt)(p));
      const candidates = open.filter((p) => p.cameraId === cameraId);
      // Pair observations with passes best match first; each pass takes one observation per frame.
      const pairs: Array<{ o: number; p: OpenPass; score: number }> = [];
      observations.forEach((obs, o) => {
        for (const p of candidates) {
          const similarity = Math.max(...p.reads.slice(-5).map((r) => plateSimilarity(r.text, obs.text)));
          const isNear = near(p.lastBox, obs.box);
          if (similarity >= settings.strongSimilarity || (isNear && similarity >= settings.minSimilarity)) {
            pairs.push({ o, p, score: similarity + (isNear ? 0.5 : 0) });
          }
        }
      });
      pairs.sort((a, b) => b.score - a.score);
      const usedObs = new Set<number>();
      const usedPass = new Set<OpenPass>();
      for (const { o, p } of pairs) {
        if (usedObs.has(o) || usedPass.has(p)) continue;
        usedObs.add(o);
        usedPass.add(p);
        const obs = observations[o]!;
        if (obs.replayed) p.lastSeenAt = Math.max(p.lastSeenAt, capturedAt);
        else append(p, obs, capturedAt);
      }
      observations.forEach((obs, o) => {
        if (usedObs.has(o) || obs.replayed) return;
        if (obs.onStaticRegion) {
          stats.staticIgnored++;
          return;
        }
        const pass: OpenPass = {
          cameraId,
          reads: [],
          firstSeenAt: capturedAt,
          lastSeenAt: capturedAt,
          firstBox: obs.textBox ?? obs.box,
          lastBox: obs.box,
          travelPx: 0,
        };
        append(pass, obs, capturedAt);
        open.push(pass);
      });
      return ended;
    },
    flush: (now) => close(stale(now)),
    flushAll: () => close(() => true),
    stats: () => ({ ...stats }),
  };
}

function append(pass: OpenPass, obs: ObservedPlate, at: number): void {
  pass.reads.push({
    at,
    text: obs.text,
    rawText: obs.rawText,
    confidence: obs.confidence,
    charConfidences: obs.charConfidences,
    box: obs.box,
    ...(obs.textBox ? { textBox: obs.textBox } : {}),
  });
  if (obs.cropJpeg && (!pass.crop || obs.confidence > pass.crop.confidence)) {
    pass.crop = { confidence: obs.confidence, jpeg: obs.cropJpeg };
  }
  pass.lastSeenAt = Math.max(pass.lastSeenAt, at);
  pass.lastBox = obs.box;
  // Travel of the detected text, not of the crop: crops clipped at a frame edge shift their centre.
  const a = boxCentre(pass.firstBox);
  const b = boxCentre(obs.textBox ?? obs.box);
  pass.travelPx = Math.max(pass.travelPx, Math.hypot(a.x - b.x, a.y - b.y));
}
