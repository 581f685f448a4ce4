// The bounded hand-off between a camera and recognition: one slot, the newest frame wins.
// A recognizer slower than the camera never grows memory; every frame it never saw is counted as dropped.

export interface SlotCounts {
  /** Frames put into the slot. */
  offered: number;
  /** Frames handed to the consumer. */
  taken: number;
  /** Frames replaced by a newer one before the consumer took them (or left at close). */
  dropped: number;
}

export class LatestFrameSlot<T> {
  private value: T | undefined;
  private waiter: ((value: T | undefined) => void) | undefined;
  private closed = false;
  private readonly counts: SlotCounts = { offered: 0, taken: 0, dropped: 0 };

  constructor(private readonly onDrop: (dropped: T) => void = () => undefined) {}

  /** Offer a frame; replaces (and drops) any frame still waiting. Ignored after close. */
  put(value: T): void {
    if (this.closed) return;
    this.counts.offered += 1;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      this.counts.taken += 1;
      waiter(value);
      return;
    }
    if (this.value !== undefined) this.drop(this.value);
    this.value = value;
  }

  /** The next frame: the waiting one at once, else the next put. undefined once closed. */
  take(): Promise<T | undefined> {
    if (this.value !== undefined) {
      const value = this.value;
      this.value = undefined;
      this.counts.taken += 1;
      return Promise.resolve(value);
    }
    if (this.closed) return Promise.resolve(undefined);
    if (this.waiter) throw new Error('LatestFrameSlot has a single consumer');
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Wake the consumer with undefined and drop what is waiting. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.value !== undefined) this.drop(this.value);
    this.value = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A frame is waiting for the consumer. */
  get pending(): boolean {
    return this.value !== undefined;
  }

  stats(): SlotCounts {
    return { ...this.counts };
  }

  private drop(value: T): void {
    this.counts.dropped += 1;
    this.onDrop(value);
  }
}
