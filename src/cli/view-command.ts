import type { Command } from 'commander';
import { DEFAULT_AUDIT_SAMPLE } from '../audit/audit-sample.js';
import { ConfigError } from '../errors.js';
import type { AuditMode } from '../report/audit-routes.js';
import { rewriteErrorsCsv } from '../report/run-files.js';
import { startViewServer } from '../report/view-server.js';
import { loadReviews } from '../store/review-queries.js';
import { loadRunData } from '../store/run-data.js';
import { positiveInt } from './chart-flags.js';

interface ViewFlags {
  host: string;
  port: string;
  audit?: boolean;
  sample: string;
  seed?: string;
  auditMode: string;
}

/** `errormap view RUN [--host 127.0.0.1] [--port 0]`: serves the viewer on this machine until interrupted. */
export function registerViewCommand(program: Command): void {
  program
    .command('view')
    .description('Serve the interactive viewer of a run directory on a local address')
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--host <host>', 'address to listen on (keep 127.0.0.1 unless you mean to share the run)', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--audit', 'audit mode: review a seeded sample of failures, one at a time; reviews are added to the run database')
    .option('--sample <n>', 'audit: failures in the sample (stratified by category)', String(DEFAULT_AUDIT_SAMPLE))
    .option('--seed <n>', "audit: sample seed (default: the run's seed, as `audit export` uses)")
    .option('--audit-mode <mode>', "audit: blind (pick a category before the judge's is shown) or open", 'blind')
    .action(async (run: string, flags: ViewFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: "${flags.port}" is not a port number`);
      if (flags.auditMode !== 'blind' && flags.auditMode !== 'open')
        throw new ConfigError(`--audit-mode: "${flags.auditMode}" is not blind or open`);
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new ConfigError(`--seed: "${flags.seed}" is not a whole number`);
      const audit = flags.audit ? { size: positiveInt('--sample', flags.sample), seed, mode: flags.auditMode as AuditMode } : undefined;
      const server = await startViewServer(run, { host: flags.host, port, audit });
      process.stdout.write(`errormap viewer: ${audit ? `${server.url}#/audit` : server.url}  (Ctrl+C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server
            .close()
            .then(async () => {
              // The errors file carries the human columns; bring them up to date with this session's reviews.
              if (audit) await rewriteErrorsCsv(loadRunData(run), loadReviews(run));
            })
            .then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
