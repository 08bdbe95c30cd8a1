import { main } from './main.js';

// Entry point for `tsx src/cli/entry.ts …` (development and tests); bin/errormap.js runs the built main.
process.exitCode = await main(process.argv.slice(2));
