/** Headless Debian Chromium for viewer tests, benchmarks and screenshots (playwright-core never downloads a browser). */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWER_INDEX = fileURLToPath(new URL('../viewer-dist/index.html', import.meta.url));

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Builds viewer-dist with `npm run build:viewer` when it is missing. */
export function ensureViewerBuilt(): void {
  if (existsSync(VIEWER_INDEX)) return;
  execFileSync('npm', ['run', 'build:viewer'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
