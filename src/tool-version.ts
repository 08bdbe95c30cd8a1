import { existsSync, readFileSync } from 'node:fs';

/**
 * errormap's version, from its package.json: one folder up from src/ and dist/, two from the bundled
 * CLI in dist/bundle/.
 */
export function toolVersion(): string {
  const pkg = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find(
    (url) => existsSync(url) && (JSON.parse(readFileSync(url, 'utf8')) as { name?: string }).name === 'errormap',
  );
  if (!pkg) throw new Error('errormap: its package.json is missing from the installation');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
