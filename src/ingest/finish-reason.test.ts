import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { readCsv } from './csv-reader.js';
import { finishReasonFromTokens, normalizeFinishReason } from './finish-reason.js';
import { helmReader } from './helm-reader.js';
import { inspectReader } from './inspect-reader.js';
import { readJsonl } from './jsonl-reader.js';

const FORMATS = join(import.meta.dirname, '../../test/fixtures/formats');
const temp = tempDirsRemovedAfterEach('finish-reason-');

describe('normalizeFinishReason', () => {
  it('maps each framework spelling of a token limit to "length" and of a natural end to "stop"', () => {
    for (const raw of ['length', 'max_tokens', 'MAX_TOKENS', 'model_length']) expect(normalizeFinishReason(raw)).toBe('length');
    for (const raw of ['stop', 'end_turn', 'stop_sequence', 'eos']) expect(normalizeFinishReason(raw)).toBe('stop');
    expect(normalizeFinishReason('content_filter')).toBe('content_filter');
    expect(normalizeFinishReason('unknown')).toBeUndefined();
    expect(normalizeFinishReason(7)).toBeUndefined();
  });

  it('reads a token count at the limit as "length", but not a limit that only shapes a one-letter answer', () => {
    expect(finishReasonFromTokens(256, 256)).toBe('length');
    expect(finishReasonFromTokens(100, 256)).toBeUndefined();
    expect(finishReasonFromTokens(1, 1)).toBeUndefined();
  });
});

describe('readers carry why generation stopped', () => {
  it('reads an optional finish_reason column in CSV and JSONL', async () => {
    const csv = temp.file(
      'd.csv',
      'example_id,model,input_text,output_text,score,finish_reason\n1,m,q,"cut he",0,max_tokens\n2,m,q,done.,1,\n',
    );
    const rows = await predictionCollector(readCsv)(csv);
    expect(rows.map((r) => r.finishReason)).toEqual(['length', undefined]);
    expect(rows[0].metadata).not.toHaveProperty('finish_reason');
    const jsonl = temp.file(
      'd.jsonl',
      `${JSON.stringify({ example_id: '1', model: 'm', input_text: 'q', output_text: 'x', score: 0, finish_reason: 'stop' })}\n`,
    );
    expect((await predictionCollector(readJsonl)(jsonl))[0].finishReason).toBe('stop');
  });

  it('reads Inspect stop_reason from the output choice', async () => {
    const rows = await predictionCollector(inspectReader.read)(join(FORMATS, 'inspect/mmlu_0_shot.json'));
    expect(rows.slice(0, 2).map((r) => r.finishReason)).toEqual(['stop', 'length']);
  });

  it('reads HELM completion finish_reason', async () => {
    const run = 'runs/v1/mmlu_subject=anatomy,method=multiple_choice_joint,model=openai_gpt2';
    const dir = temp.dir();
    cpSync(join(FORMATS, 'helm/benchmark_output', run), dir, { recursive: true });
    const state = JSON.parse(readFileSync(join(dir, 'scenario_state.json'), 'utf8'));
    state.request_states[0].result.completions[0].finish_reason = { reason: 'length' };
    writeFileSync(join(dir, 'scenario_state.json'), JSON.stringify(state));
    const rows = await predictionCollector(helmReader.read)(dir);
    expect(rows[0].finishReason).toBe('length');
    expect(rows[1].finishReason).toBeUndefined();
  });
});
