import { readFileSync } from 'node:fs';

/** errormap's version, from package.json (found relative to this file in src/ and in dist/). */
export function toolVersion(): string {
  const pkg = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
