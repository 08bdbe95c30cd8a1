import type { Command } from 'commander';
import { readInputs } from '../ingest/read-inputs.js';
import { inputReaders } from '../ingest/registry.js';
import { outputFormatOf, type WriteSummary, writePredictions } from '../ingest/write-predictions.js';
import { runDirectoryReason } from '../store/run-dir.js';

export interface ImportFlags {
  out: string;
  format?: string;
  metric?: string;
  filter?: string;
  dataset?: string;
}

/** `errormap import SRC... --out FILE.csv|.jsonl`: framework results → the reference layout, nothing else. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Convert results where they already are (HELM, lm-eval, Inspect, promptfoo, Parquet, CSV, JSONL) into one CSV or JSONL file',
    )
    .argument('<src...>', 'result files or folders (formats are detected; folders are walked)')
    .requiredOption('-o, --out <file>', 'output file, .csv or .jsonl')
    .option('--format <name>', `read every input with this reader (${inputReaders.map((r) => r.name).join(', ')})`)
    .option('--metric <name>', 'per-instance metric to use as score (HELM stat, lm-eval metric key, Inspect scorer, promptfoo named score)')
    .option('--filter <name>', 'lm-eval filter to read when several were logged (default: strict-match, flexible-extract, none)')
    .option('--dataset <name>', 'dataset name for every row')
    .action(async (sources: string[], flags: ImportFlags) => {
      const summary = await runImport(sources, flags);
      process.stdout.write(formatImportSummary(summary));
    });
}

export async function runImport(sources: string[], flags: ImportFlags): Promise<WriteSummary> {
  outputFormatOf(flags.out); // fail on a bad --out before reading anything
  const predictions = readInputs(sources, {
    format: flags.format,
    metric: flags.metric,
    filter: flags.filter,
    dataset: flags.dataset,
    outputFolderReason: runDirectoryReason,
    onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  return writePredictions(predictions, flags.out);
}

const MAX_REASONS = 5;

export function formatImportSummary(summary: WriteSummary): string {
  const lines = [`wrote ${summary.rows} ${summary.rows === 1 ? 'row' : 'rows'} to ${summary.file}`];
  if (summary.unanalysable > 0) {
    lines.push(`${summary.unanalysable} not analysable (column analysable=false; they are not model errors):`);
    const reasons = [...summary.reasons.entries()].sort((a, b) => b[1] - a[1]);
    for (const [reason, count] of reasons.slice(0, MAX_REASONS)) lines.push(`  ${count} × ${reason}`);
    if (reasons.length > MAX_REASONS) lines.push(`  … and ${reasons.length - MAX_REASONS} other reasons`);
  }
  return `${lines.join('\n')}\n`;
}
