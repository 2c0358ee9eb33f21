import { AppError } from '../http/errors';

/**
 * Bounds concurrent password hashing: each argon2 run holds ~19 MiB and a CPU for tens of
 * milliseconds, so an unbounded burst of logins could exhaust memory. Excess waits in a bounded
 * queue; beyond that the server answers 503 instead of queueing forever.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueMax: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queueMax) {
        throw new AppError(503, 'busy', 'The server is busy; try again shortly.', {
          'Retry-After': '1',
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  get inFlight(): number {
    return this.active;
  }
}
