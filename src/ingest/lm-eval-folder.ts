import { basename, dirname } from 'node:path';
import { byDateInName, isLmEvalResultsFileName, parseSamplesFileName } from './lm-eval-results.js';

/** Which lm-eval files of one folder to read, and what to tell the user about the rest. */
export interface LmEvalFolderChoice {
  skipped: Set<string>;
  warnings: string[];
}

/**
 * lm-eval writes every run of a model into the same folder with a new date, so a re-run leaves two
 * samples files per task that would collide as duplicate rows. Reads the newest per task, and skips the
 * aggregate results files beside samples files (they hold no per-sample rows).
 * `files` are the lm-eval files detected directly inside one folder.
 */
export function chooseLmEvalFiles(files: string[]): LmEvalFolderChoice {
  const skipped = new Set<string>();
  const warnings: string[] = [];
  const byTask = new Map<string, string[]>();
  for (const file of files) {
    const name = parseSamplesFileName(file);
    if (!name?.date) continue;
    byTask.set(name.task, [...(byTask.get(name.task) ?? []), file]);
  }
  for (const [task, runs] of byTask) {
    if (runs.length < 2) continue;
    const sorted = [...runs].sort(byDateInName);
    const newest = sorted[sorted.length - 1];
    const older = sorted.slice(0, -1);
    for (const file of older) skipped.add(file);
    warnings.push(
      `${dirname(newest)} holds ${runs.length} lm-eval runs of task "${task}": reading the newest, ${basename(newest)}, ` +
        `and skipping ${older.map((f) => basename(f)).join(', ')} (name a samples file to read another run)`,
    );
  }
  if (byTask.size > 0) for (const file of files) if (isLmEvalResultsFileName(file)) skipped.add(file);
  return { skipped, warnings };
}
