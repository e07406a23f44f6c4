/**
 * A smoothed rate (items per second) that follows changes within a few seconds but does not jump
 * when a batch of results lands at once.
 *
 * It is an exponentially weighted average of the instantaneous rate with weights decaying by half
 * every `halfLifeSeconds` of *time* (not of observations), so it does not matter how often it is
 * fed. The average starts at zero and is divided by the total weight so far (the bias correction
 * of Adam), which makes the early estimate the plain mean `count / elapsed` rather than whatever
 * the first two observations happened to say.
 */
export class SmoothedRate {
  private start: number | undefined;
  private lastTime = 0;
  private lastCount = 0;
  private raw = 0;

  constructor(private readonly halfLifeSeconds = 5) {
    if (!(halfLifeSeconds > 0)) throw new RangeError(`SmoothedRate: halfLifeSeconds must be > 0, got ${halfLifeSeconds}`);
  }

  /**
   * `count` items were done by `seconds` (any monotonic origin). Observations at the same instant
   * are merged into the next one that is later.
   *
   * `const r = new SmoothedRate(); r.observe(0, 0); r.observe(10, 2); r.value // 5`
   */
  observe(count: number, seconds: number): void {
    if (this.start === undefined) {
      this.start = seconds;
      this.lastTime = seconds;
      this.lastCount = count;
      return;
    }
    const dt = seconds - this.lastTime;
    if (dt <= 0) return;
    const keep = 2 ** (-dt / this.halfLifeSeconds);
    this.raw = keep * this.raw + (1 - keep) * ((count - this.lastCount) / dt);
    this.lastTime = seconds;
    this.lastCount = count;
  }

  /** Items per second, or undefined before time has passed. */
  get value(): number | undefined {
    if (this.start === undefined || this.lastTime <= this.start) return undefined;
    const weight = 1 - 2 ** (-(this.lastTime - this.start) / this.halfLifeSeconds);
    return this.raw / weight;
  }
}
