import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicBatchServer } from '../../../test/support/anthropic-batch-server.js';
import { startBatchServer } from '../../../test/support/batch-server.js';
import { answerFor, batchTestBench, requestsFor, warmKilledThenResumed } from '../../../test/support/batch-setup.js';

/** What the test reads of either scripted server. */
interface ResumableServer {
  baseUrl: string;
  batchCreates: unknown[];
  batches: Map<string, unknown>;
  close(): Promise<void>;
}

const bench = batchTestBench<ResumableServer>('batch-test-secret-0123456789');
afterEach(() => bench.cleanUp());

const providers: { name: string; spec: string; start: () => Promise<ResumableServer & { uploads?: unknown[] }> }[] = [
  {
    name: 'OpenAI Files + Batches API',
    spec: 'openai:gpt-4o-mini',
    start: () => startBatchServer({ respondLine: (line) => ({ json: answerFor(line.user) }), finishOnPoll: 3 }),
  },
  {
    name: 'Anthropic Message Batches',
    spec: 'anthropic:claude-haiku-4-5',
    start: () => startAnthropicBatchServer({ respondLine: (line) => ({ json: answerFor(line.user) }), finishOnPoll: 3 }),
  },
];

describe('warmCacheWithBatch after a kill', () => {
  it.each(providers)('resumes polling the recorded job ($name) without submitting again', async ({ spec, start }) => {
    const { server, judgeOptions } = await bench.start(start, spec);
    const { result, store: second } = await warmKilledThenResumed({
      judgeOptions,
      requests: requestsFor('q1', 'q2'),
      dir: bench.tempDir('errormap-batch-'),
      afterKill: async (killedRun) => {
        await expect(killedRun).rejects.toThrow('killed');
        expect(server.batchCreates).toHaveLength(1);
      },
    });
    if ('uploads' in server) expect(server.uploads).toHaveLength(1);
    expect(server.batchCreates).toHaveLength(1);
    expect(result).toMatchObject({ submitted: 0, resumed: 2, answered: 2 });
    expect(result.jobIds).toEqual([...server.batches.keys()]);
    expect(second.countCalls()).toBe(2);
    second.close();
  });
});
