import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { writeHtmlReport, writeTaxonomyReport } from '../report/html-report.js';
import { RUN_FILES, runFile } from '../store/run-dir.js';

interface ReportFlags {
  out?: string;
  taxonomy?: string;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `errormap report RUN [--out FILE]`, or `errormap report --taxonomy FILE --out FILE` for a taxonomy alone. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Write a self-contained HTML report (one file, opens from disk, no network) of a run directory')
    .argument('[run]', 'run directory written by `errormap run`')
    .option('-o, --out <file>', `output file (default: RUN/${RUN_FILES.report})`)
    .option('--taxonomy <file>', 'render a taxonomy file alone (errormap or reference ErrorMap JSON) instead of a run')
    .action((run: string | undefined, flags: ReportFlags) => {
      if (flags.taxonomy) {
        const out = flags.out ?? (run ? runFile(resolve(run), 'report') : 'taxonomy-report.html');
        const written = writeTaxonomyReport(flags.taxonomy, out);
        process.stdout.write(`${written.file} (${mb(written.bytes)}, taxonomy only)\n`);
        return;
      }
      if (!run) throw new ConfigError('report: give a run directory (or --taxonomy FILE)');
      const written = writeHtmlReport(run, flags.out);
      const cut = written.truncatedTexts > 0 ? `; ${written.truncatedTexts} long texts cut, full texts with \`errormap view ${run}\`` : '';
      process.stdout.write(`${written.file} (${mb(written.bytes)}, ${written.failures} failures${cut})\n`);
    });
}
