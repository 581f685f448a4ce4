// Cuts ffmpeg's raw stdout byte stream into whole frames of exactly `frameSize` bytes.
// Pipes deliver arbitrary chunk sizes, so a frame is assembled across reads; bytes left over when the
// stream ends are a torn frame and are discarded (counted), never emitted.

export class FrameSplitter {
  private current: Buffer | undefined;
  private filled = 0;
  /** Frames emitted so far. */
  frames = 0;

  constructor(
    readonly frameSize: number,
    private readonly onFrame: (data: Buffer) => void,
  ) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new Error(`bad frame size ${frameSize}`);
  }

  /** Feed one chunk from stdout; calls onFrame for every frame it completes. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const remaining = chunk.length - offset;
      if (this.filled === 0 && remaining >= this.frameSize) {
        // Fast path: a whole frame inside this chunk. Copy it out, because the chunk's memory is
        // shared with Node's stream pool and must not be held by a slow recognizer.
        this.emit(Buffer.from(chunk.subarray(offset, offset + this.frameSize)));
        offset += this.frameSize;
        continue;
      }
      this.current ??= Buffer.allocUnsafe(this.frameSize);
      const n = Math.min(this.frameSize - this.filled, remaining);
      chunk.copy(this.current, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSize) {
        const frame = this.current;
        this.current = undefined;
        this.filled = 0;
        this.emit(frame);
      }
    }
  }

  /** The stream ended: drop any partial frame. Returns how many bytes were discarded. */
  end(): number {
    const torn = this.filled;
    this.current = undefined;
    this.filled = 0;
    return torn;
  }

  private emit(frame: Buffer): void {
    this.frames += 1;
    this.onFrame(frame);
  }
}
