/**
 * Hands out planned failures so that a provider's prompt cache can serve them. An example's failures
 * share their prompt's start (instructions, input, reference, other models' correct outputs), but a
 * provider makes a cache entry usable only once the request that wrote it has been answered (Anthropic
 * documents this; OpenAI's cache fills during a request's prefill): failures of one example sent side
 * by side would each pay for the whole prompt. So the first failure of each example goes out alone and
 * the others follow once it is answered; meanwhile free workers take the first failures of later
 * examples, so no slot idles while there is another example to start.
 */
export class LeaderFirstDispatch<T> {
  private readonly state = new Map<string, 'in flight' | 'answered'>();
  private readonly waiting = new Map<string, T[]>();
  private readonly ready: T[] = [];
  private deferred = 0;
  private exhausted = false;
  private wake: (() => void) | undefined;
  private woken: Promise<void> | undefined;

  /**
   * @param items planned failures, an example's failures one after another
   * @param exampleOf the key of an item's example
   * @param maxDeferred how many items may wait for their example's first answer before no more are read ahead
   */
  constructor(
    private readonly items: Iterator<T>,
    private readonly exampleOf: (item: T) => string,
    private readonly maxDeferred: number,
  ) {}

  /** The next item to work on and the call that says it is finished, or undefined when all are handed out. */
  async next(): Promise<{ item: T; finished: () => void } | undefined> {
    for (;;) {
      const follower = this.ready.shift();
      if (follower !== undefined) return { item: follower, finished: () => {} };
      if (!this.exhausted && this.deferred < this.maxDeferred) {
        const next = this.items.next();
        if (next.done) {
          this.exhausted = true;
          continue;
        }
        const example = this.exampleOf(next.value);
        const state = this.state.get(example);
        if (state === undefined) {
          this.state.set(example, 'in flight');
          return { item: next.value, finished: () => this.answered(example) };
        }
        if (state === 'answered') return { item: next.value, finished: () => {} };
        this.defer(example, next.value);
        continue;
      }
      if (this.exhausted && this.deferred === 0) return undefined;
      await this.nextWake();
    }
  }

  private defer(example: string, item: T): void {
    const list = this.waiting.get(example);
    if (list) list.push(item);
    else this.waiting.set(example, [item]);
    this.deferred += 1;
  }

  private answered(example: string): void {
    this.state.set(example, 'answered');
    const followers = this.waiting.get(example) ?? [];
    this.waiting.delete(example);
    this.deferred -= followers.length;
    this.ready.push(...followers);
    const wake = this.wake;
    this.wake = undefined;
    this.woken = undefined;
    wake?.();
  }

  /** One promise for every waiting worker, settled by the next answered first failure. */
  private nextWake(): Promise<void> {
    this.woken ??= new Promise((resolve) => {
      this.wake = resolve;
    });
    return this.woken;
  }
}
