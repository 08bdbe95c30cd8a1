import type { TaskUsage, Usage } from '../contracts/usage.js';

/** Progress of logical judge calls (one per `Judge.call`), for progress bars and ETA. */
export interface CallProgress {
  started: number;
  finished: number;
  /** Started and not finished: waiting for a free slot or for the judge's answer. */
  inFlight: number;
  /** HTTP requests sent and not yet answered (each logical call has at most one at a time). */
  awaitingAnswer: number;
}

/** A sum of costs is unknown as soon as one of them is. */
export function addCost(sum: number | undefined, cost: number | undefined): number | undefined {
  return sum === undefined || cost === undefined ? undefined : sum + cost;
}

function emptyUsage(): TaskUsage {
  return {
    calls: 0,
    retries: 0,
    cachedCalls: 0,
    failedCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
  };
}

/** Usage summed over tasks (a run record's `usage`, or a meter's); the cost is unknown if any task's is. */
export function sumUsage(tasks: Iterable<TaskUsage>): TaskUsage {
  const sum = emptyUsage();
  for (const u of tasks) {
    sum.calls += u.calls;
    sum.retries += u.retries;
    sum.cachedCalls += u.cachedCalls;
    sum.failedCalls += u.failedCalls;
    sum.inputTokens += u.inputTokens;
    sum.outputTokens += u.outputTokens;
    sum.cachedInputTokens = (sum.cachedInputTokens ?? 0) + (u.cachedInputTokens ?? 0);
    sum.cacheWriteTokens = (sum.cacheWriteTokens ?? 0) + (u.cacheWriteTokens ?? 0);
    sum.costUsd = addCost(sum.costUsd, u.costUsd);
  }
  return sum;
}

/**
 * Counts what the judge does, per task. Tokens and cost are those spent by this process: answers
 * served from the cache count as cachedCalls and add no tokens.
 */
export class UsageMeter {
  private readonly tasks = new Map<string, TaskUsage>();
  private readonly listeners = new Set<() => void>();
  private progressState: CallProgress = { started: 0, finished: 0, inFlight: 0, awaitingAnswer: 0 };

  private task(task: string): TaskUsage {
    let usage = this.tasks.get(task);
    if (!usage) {
      usage = emptyUsage();
      this.tasks.set(task, usage);
    }
    return usage;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  callStarted(): void {
    this.progressState.started++;
    this.progressState.inFlight++;
    this.changed();
  }

  callFinished(): void {
    this.progressState.finished++;
    this.progressState.inFlight--;
    this.changed();
  }

  /** One HTTP request was sent (first try, retry or re-ask). */
  requestSent(task: string): void {
    this.task(task).calls++;
    this.changed();
  }

  /** Counts `reply` as a request awaiting its answer until it settles, answered or failed. */
  async awaitingAnswer<T>(reply: Promise<T>): Promise<T> {
    this.progressState.awaitingAnswer++;
    this.changed();
    try {
      return await reply;
    } finally {
      this.progressState.awaitingAnswer--;
      this.changed();
    }
  }

  /** The request just sent repeats one that failed (429, 5xx, timeout, dropped connection). */
  retried(task: string): void {
    this.task(task).retries++;
    this.changed();
  }

  /**
   * Tokens a provider billed for one request (also for answers that then failed validation). A cost
   * of undefined (no known price) makes the task's cost unknown: never a cost of $0.
   */
  tokensUsed(task: string, usage: Usage, costUsd: number | undefined): void {
    const t = this.task(task);
    t.inputTokens += usage.inputTokens;
    t.outputTokens += usage.outputTokens;
    t.cachedInputTokens = (t.cachedInputTokens ?? 0) + (usage.cachedInputTokens ?? 0);
    t.cacheWriteTokens = (t.cacheWriteTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
    t.costUsd = addCost(t.costUsd, costUsd);
    this.changed();
  }

  cacheHit(task: string): void {
    this.task(task).cachedCalls++;
    this.changed();
  }

  callFailed(task: string): void {
    this.task(task).failedCalls++;
    this.changed();
  }

  /** A copy of the usage per task, in the shape of the run record's `usage`. */
  snapshot(): Record<string, TaskUsage> {
    const out: Record<string, TaskUsage> = {};
    for (const [task, usage] of this.tasks) out[task] = { ...usage };
    return out;
  }

  /** Sum over all tasks. */
  total(): TaskUsage {
    return sumUsage(this.tasks.values());
  }

  progress(): CallProgress {
    return { ...this.progressState };
  }
}
