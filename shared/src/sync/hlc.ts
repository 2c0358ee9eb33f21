/**
 * Hybrid logical clock per device: wall-clock milliseconds plus a counter, encoded so that plain
 * string comparison orders them. LWW ties between equal clocks are broken by device id.
 */
export const HLC_PATTERN = /^\d{15}-\d{6}$/;
const MAX_COUNTER = 999_999;

export interface Hlc {
  ms: number;
  counter: number;
}

export function formatHlc(h: Hlc): string {
  return `${String(h.ms).padStart(15, '0')}-${String(h.counter).padStart(6, '0')}`;
}

export function parseHlc(s: string): Hlc {
  if (!HLC_PATTERN.test(s)) throw new Error(`not a hybrid logical clock: ${s.slice(0, 40)}`);
  return { ms: Number(s.slice(0, 15)), counter: Number(s.slice(16)) };
}

/** The physical time an HLC claims, in ms since the epoch. */
export const hlcMs = (s: string): number => parseHlc(s).ms;

/** Total order for last-writer-wins: (hlc, device), both compared as strings. */
export function compareVersions(
  a: { hlc: string; device: string },
  b: { hlc: string; device: string },
): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  return 0;
}

/**
 * One device's clock. State is passed in and returned (the desktop persists it in its database),
 * so there is no module-level mutable clock.
 */
export class HybridClock {
  constructor(
    private state: Hlc,
    private readonly now: () => number,
    /** Remote clocks further ahead than this are not adopted (a wrong clock must not drag us). */
    private readonly maxDriftMs = 5 * 60_000,
  ) {}

  current(): string {
    return formatHlc(this.state);
  }

  /** A new timestamp for a local event. */
  tick(): string {
    const wall = this.now();
    if (wall > this.state.ms) this.state = { ms: wall, counter: 0 };
    else this.bump();
    return formatHlc(this.state);
  }

  /** Merges a clock seen on a remote change; returns whether it was adopted. */
  receive(remote: string): boolean {
    const r = parseHlc(remote);
    const wall = this.now();
    if (r.ms > wall + this.maxDriftMs) return false;
    const ms = Math.max(this.state.ms, r.ms, wall);
    if (ms === this.state.ms && ms === r.ms)
      this.state = { ms, counter: Math.max(this.state.counter, r.counter) };
    else if (ms === this.state.ms) this.state = { ms, counter: this.state.counter };
    else if (ms === r.ms) this.state = { ms, counter: r.counter };
    else this.state = { ms, counter: 0 };
    return true;
  }

  private bump(): void {
    if (this.state.counter >= MAX_COUNTER) this.state = { ms: this.state.ms + 1, counter: 0 };
    else this.state = { ms: this.state.ms, counter: this.state.counter + 1 };
  }
}
