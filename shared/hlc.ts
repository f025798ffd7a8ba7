/**
 * Hybrid logical clock. Stamps are strings that sort lexicographically in causal order:
 * 15-digit wall milliseconds, a base-36 counter, then the device id as the tie-breaker.
 */
export interface HlcParts {
  wallMs: number;
  counter: number;
  deviceId: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 4;
const MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;

export function formatHlc(p: HlcParts): string {
  return `${String(p.wallMs).padStart(WALL_DIGITS, '0')}-${p.counter.toString(36).padStart(COUNTER_DIGITS, '0')}-${p.deviceId}`;
}

export function parseHlc(stamp: string): HlcParts {
  const first = stamp.indexOf('-');
  const second = stamp.indexOf('-', first + 1);
  if (first !== WALL_DIGITS || second !== WALL_DIGITS + 1 + COUNTER_DIGITS) {
    throw new Error(`Not a clock stamp: ${stamp}`);
  }
  return {
    wallMs: Number(stamp.slice(0, first)),
    counter: parseInt(stamp.slice(first + 1, second), 36),
    deviceId: stamp.slice(second + 1),
  };
}

export class HybridClock {
  private wallMs = 0;
  private counter = 0;

  constructor(
    readonly deviceId: string,
    private readonly now: () => number = Date.now,
    last?: string,
  ) {
    if (last) {
      const p = parseHlc(last);
      this.wallMs = p.wallMs;
      this.counter = p.counter;
    }
  }

  /** A stamp for a local event; never goes backwards even if the wall clock does. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.counter = 0;
    } else {
      this.bump();
    }
    return formatHlc({ wallMs: this.wallMs, counter: this.counter, deviceId: this.deviceId });
  }

  /** Folds in a stamp seen from another device so later local stamps order after it. */
  receive(remote: string): void {
    const r = parseHlc(remote);
    const physical = this.now();
    const wall = Math.max(this.wallMs, r.wallMs, physical);
    if (wall === this.wallMs && wall === r.wallMs) this.counter = Math.max(this.counter, r.counter);
    else if (wall === r.wallMs) this.counter = r.counter;
    else if (wall !== this.wallMs) this.counter = -1;
    this.wallMs = wall;
    this.bump();
  }

  private bump(): void {
    if (this.counter >= MAX_COUNTER) {
      this.wallMs += 1;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
  }
}
