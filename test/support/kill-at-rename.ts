/**
 * Preloaded (`node --import tsx --import this-file`) to simulate a crash between two files of a run:
 * ERRORMAP_TEST_KILL_AT_RENAME="NAME#N" kills the process with SIGKILL just before the N-th time a
 * file named NAME is renamed into place (its temporary file is complete, the target not yet replaced).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const spec = process.env.ERRORMAP_TEST_KILL_AT_RENAME;
if (spec) {
  const [name, nth = '1'] = spec.split('#');
  let seen = 0;
  const rename = fs.renameSync;
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (basename(String(to)) === name && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
    return rename(from, to);
  };
  syncBuiltinESMExports();
}
