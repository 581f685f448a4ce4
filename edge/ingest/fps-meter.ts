// Frames per second over a sliding window of recent frame times (for /health and the live status).

export class FpsMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs: number) {}

  record(at: number): void {
    this.times.push(at);
    this.trim(at);
  }

  /** Frames per second over the window ending at `now`; 0 when fewer than two frames are in it. */
  rate(now: number): number {
    this.trim(now);
    if (this.times.length < 2) return 0;
    const span = Math.max(now, this.times[this.times.length - 1]!) - this.times[0]!;
    // Count intervals, not frames, so a steady 5 fps stream reads 5 rather than 6.
    return span > 0 ? Math.round(((this.times.length - 1) * 1000 * 100) / span) / 100 : 0;
  }

  private trim(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < cutoff) drop += 1;
    if (drop > 0) this.times.splice(0, drop);
  }
}
