/**
 * Rate limits per key (a person, an address): a token bucket of `perMinute` tokens, refilled
 * evenly over a minute, so a burst of up to `perMinute` passes and then one request per
 * 60/perMinute seconds. A refused request is answered 429 with `Retry-After` (whole seconds).
 *
 * `const answers = new RateLimiter(120); answers.check('p1')` throws the 429 when p1 is over.
 */
import { HttpError } from './errors.ts';

interface Bucket {
  tokens: number;
  /** ms (the limiter's clock) when `tokens` was last brought up to date. */
  at: number;
}

/** Keys held before full buckets are dropped (a full bucket is the same as none). */
const PRUNE_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  /** `what` names the limit in the 429's message, e.g. `answers`. `now`: ms, for tests. */
  constructor(readonly perMinute: number, readonly what = 'requests', private readonly now: () => number = () => performance.now()) {
    if (!(perMinute > 0)) throw new Error(`RateLimiter: perMinute must be above 0, got ${perMinute}`);
    this.perMs = perMinute / 60_000;
  }

  /**
   * Take one token for `key`: undefined when it had one, else the whole seconds until it will.
   * `Infinity` as perMinute never refuses.
   */
  take(key: string): number | undefined {
    if (this.perMinute === Infinity) return undefined;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      if (this.buckets.size > PRUNE_AT) this.prune(now);
      return undefined;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** `take`, refusing with a 429 that carries `Retry-After`. */
  check(key: string, who = key): void {
    const wait = this.take(key);
    if (wait === undefined) return;
    throw new HttpError(429, `too many ${this.what} from ${who}: at most ${this.perMinute} a minute; try again in ${wait} s`, {
      code: 'rate_limited', headers: { 'retry-after': String(wait) },
    });
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
