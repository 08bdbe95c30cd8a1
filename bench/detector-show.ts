// Prints one failure's input head and output, to read while fixing a detector:
//   npx tsx bench/detector-show.ts DATASET EXAMPLE_ID MODEL [--chars N] [dataDir via --data DIR]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanOutput } from '../src/detect/answer-extraction.js';
import { caseKey, loadDetectorCases } from './detector-cases.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const [dataset, exampleId, model] = args;
const dataDir = flag('--data') ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const chars = Number(flag('--chars') ?? 3000);
const ctx = (await loadDetectorCases(dataDir)).find((c) => caseKey(c.failure) === caseKey({ dataset, exampleId, model }));
if (!ctx) throw new Error('failure not found');
console.log(`IN: ${ctx.failure.inputText.slice(0, 800)}`);
const out = cleanOutput(ctx.failure.outputText);
console.log(`OUT(${out.length}): ${out.slice(0, chars)}${out.length > chars ? `\n[...]\n${out.slice(-800)}` : ''}`);
