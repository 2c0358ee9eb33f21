/**
 * Remembers tokens whose signature and claims already verified, until their `exp` (at most
 * maxAgeMs), so a client sending the same token on every request costs one map lookup instead of
 * an HMAC. Only successes are stored; size is bounded (oldest out first). Revocation is not
 * affected: sessions and devices are still checked in the database on every request.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get(key: string, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs > nowMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, expiresAtMs: number, nowMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs: Math.min(expiresAtMs, nowMs + this.maxAgeMs) });
  }

  get size(): number {
    return this.entries.size;
  }
}
