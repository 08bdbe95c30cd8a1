/**
 * `errormap/testing`: helpers for library users' own tests, kept out of the main entry point.
 * An in-process judge that answers from a function and records every request.
 */
export { createScriptedJudge, type RecordedRequest } from './scripted-judge.js';
