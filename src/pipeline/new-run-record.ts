import type { RunRecord } from '../contracts/run-record.js';
import { RUN_FORMAT_VERSION } from '../contracts/run-record.js';
import { OFFLINE_JUDGE, publicSettings, type RunSettings } from '../settings/run-settings.js';
import { toolVersion } from '../tool-version.js';

/** The record of a run that is starting: settings without secrets, versions, empty counts. */
export function newRunRecord(settings: RunSettings): RunRecord {
  return {
    formatVersion: RUN_FORMAT_VERSION,
    status: 'running',
    tool: { name: 'errormap', version: toolVersion() },
    startedAt: new Date().toISOString(),
    settings: publicSettings(settings),
    judge: settings.judge.judge,
    offline: settings.judge.judge === OFFLINE_JUDGE,
    inputs: [],
    counts: { predictions: 0, failures: 0, sampled: 0, analysed: 0, noError: 0, analysisFailed: 0, categories: 0 },
    usage: {},
    warnings: [],
    promptVersions: {},
  };
}
