/** How the run-reading commands print: warnings to stderr, then the result as JSON (--json) or as text. */

export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`errormap: ${w}\n`);
}

/** Prints `json()` as indented JSON when `asJson`, else `text()`; only the chosen one is built. */
export function printJsonOrText(asJson: boolean | undefined, json: () => unknown, text: () => string): void {
  process.stdout.write(asJson ? `${JSON.stringify(json(), null, 2)}\n` : text());
}
