import { cleanOutput } from '../src/detect/answer-extraction.js';
import { caseKey, loadDetectorCases } from './detector-cases.js';
const want = process.argv.slice(2);
for (const c of await loadDetectorCases('/work/shared/data')) {
  if (!want.includes(caseKey(c.failure))) continue;
  const lines = cleanOutput(c.failure.outputText).split('\n').map((l) => l.trim().replace(/^(?:[-*•]|\d+[.)]|step \d+[:.)])\s*/i, '')).filter((l) => l.length >= 15 && (l.match(/[a-z]{2,}/gi) ?? []).join('').length >= 10);
  const seen = new Set<string>(); let dup = 0;
  for (const l of lines) { if (seen.has(l)) dup++; else seen.add(l); }
  console.log(caseKey(c.failure), dup, lines.length, (dup / lines.length).toFixed(2));
}
