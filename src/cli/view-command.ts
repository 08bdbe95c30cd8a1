import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { startViewServer } from '../report/view-server.js';

interface ViewFlags {
  host: string;
  port: string;
}

/** `errormap view RUN [--host 127.0.0.1] [--port 0]`: serves the viewer on this machine until interrupted. */
export function registerViewCommand(program: Command): void {
  program
    .command('view')
    .description('Serve the interactive viewer of a run directory on a local address')
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--host <host>', 'address to listen on (keep 127.0.0.1 unless you mean to share the run)', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .action(async (run: string, flags: ViewFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: "${flags.port}" is not a port number`);
      const server = await startViewServer(run, { host: flags.host, port });
      process.stdout.write(`errormap viewer: ${server.url}  (Ctrl+C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
