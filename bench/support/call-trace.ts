import type { ServerCallEvent } from '../../test/support/judge-server.js';

const ANALYSIS = 'error_analysis';

export interface CallTraceStats {
  callsByTask: Record<string, number>;
  /** Epoch ms of the first chat request of any task; undefined when none came. */
  firstCallAt?: number;
  /** Epoch ms of the first analysis request (the fail-fast probe call goes before the input is read). */
  firstAnalysisCallAt?: number;
  /** From the first analysis request's arrival to the last analysis answer. */
  analysisWindowMs: number;
  /** Mean analysis calls in flight over that window. */
  analysisMeanInFlight: number;
  /** Time with at least one non-analysis (taxonomy) call in flight: the judge's share of the taxonomy stage. */
  taxonomyBusyMs: number;
  analysisPromptTokens: number;
  /** Billed as cached under OpenAI's rule. */
  analysisCachedTokens: number;
  /** In a shared prefix of any length (16-token blocks): what a vLLM-style prefix cache reuses. */
  analysisSharedTokens: number;
}

/** Calls in flight over time, as the judge server saw them: the benchmark's occupancy probe. */
export class CallTrace {
  private readonly events: ServerCallEvent[] = [];
  private readonly tokens = { prompt: 0, cached: 0, shared: 0 };

  record(event: ServerCallEvent): void {
    this.events.push(event);
  }

  promptTokens(task: string, prompt: number, cached: number, shared: number): void {
    if (task !== ANALYSIS) return;
    this.tokens.prompt += prompt;
    this.tokens.cached += cached;
    this.tokens.shared += shared;
  }

  stats(): CallTraceStats {
    const events = [...this.events].sort((a, b) => a.at - b.at);
    const callsByTask: Record<string, number> = {};
    for (const e of events) if (e.phase === 'start') callsByTask[e.task] = (callsByTask[e.task] ?? 0) + 1;
    const analysis = events.filter((e) => e.task === ANALYSIS);
    const windowMs = analysis.length ? analysis[analysis.length - 1].at - analysis[0].at : 0;
    return {
      callsByTask,
      firstCallAt: events[0]?.at,
      firstAnalysisCallAt: analysis[0]?.at,
      analysisWindowMs: windowMs,
      analysisMeanInFlight: windowMs > 0 ? inFlightIntegral(analysis) / windowMs : 0,
      taxonomyBusyMs: busyTime(events.filter((e) => e.task !== ANALYSIS)),
      analysisPromptTokens: this.tokens.prompt,
      analysisCachedTokens: this.tokens.cached,
      analysisSharedTokens: this.tokens.shared,
    };
  }
}

/** ∫ calls in flight dt over time-sorted start/end events, in call·ms. */
function inFlightIntegral(events: ServerCallEvent[]): number {
  let inFlight = 0;
  let area = 0;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) area += inFlight * (events[i].at - events[i - 1].at);
    inFlight += events[i].phase === 'start' ? 1 : -1;
  }
  return area;
}

/** Time with at least one call in flight, over time-sorted start/end events. */
function busyTime(events: ServerCallEvent[]): number {
  let inFlight = 0;
  let busy = 0;
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && inFlight > 0) busy += events[i].at - events[i - 1].at;
    inFlight += events[i].phase === 'start' ? 1 : -1;
  }
  return busy;
}
