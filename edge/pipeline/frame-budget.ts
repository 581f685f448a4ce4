// How many frames a camera's sample rate called for (pure; time is an argument). Frames that ffmpeg
// never delivered (the analysis thread was busy, the pipe backed up, the stream fell behind) are
// counted nowhere else; expected minus analysed is every frame lost, wherever it was lost. A run is
// one ffmpeg connection (seq restarts at 1): the time between runs is an outage, not lost frames.

export class FrameBudget {
  private runStart: number | undefined;
  private earlier = 0;
  private current = 0;

  constructor(private readonly fps: number) {
    if (!(fps > 0)) throw new RangeError(`sample rate must be > 0, got ${fps}`);
  }

  /**
   * Note a frame that reached the edge; returns how many frames became expected with it.
   * @example const b = new FrameBudget(5); b.arrived(1, 0); b.arrived(2, 1000) // 5 (frames 2..6 were due)
   */
  arrived(seq: number, capturedAt: number): number {
    const before = this.expected;
    if (seq === 1 || this.runStart === undefined) {
      this.earlier += this.current;
      this.runStart = capturedAt;
      this.current = 1;
    } else {
      const due = Math.floor(((capturedAt - this.runStart) * this.fps) / 1000 + 1e-6) + 1;
      this.current = Math.max(this.current, due);
    }
    return this.expected - before;
  }

  /** Frames the sample rate called for while the camera was connected. */
  get expected(): number {
    return this.earlier + this.current;
  }
}
