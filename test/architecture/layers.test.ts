/**
 * The import rules of docs/architecture.md, checked on the source itself: every import between
 * top-level folders of src/ runs down the layer table, there is no import cycle, and nothing
 * test-only ships in the build or the main entry point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Lowest first. A folder may import its own layer's files and any lower layer, never a higher one. */
const LAYERS: string[][] = [
  ['contracts', 'errors.ts', 'tool-version.ts'],
  ['settings'],
  ['ingest'],
  ['prepare'],
  ['detect'],
  ['judge'],
  ['prompts'],
  ['analyze'],
  ['taxonomy'],
  ['store'],
  ['chart', 'audit'],
  ['report'],
  ['pipeline'],
  ['cli', 'testing', 'index.ts'],
];

const layerOf = new Map(LAYERS.flatMap((names, level) => names.map((name) => [name, level] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to paths under src/ ("judge/judge.ts"). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  const dynamic = [...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return [...specs, ...dynamic].map((spec) => relative(SRC, normalize(join(dirname(file), spec))).replace(/\.js$/, '.ts'));
}

const topOf = (path: string) => path.split(/[\\/]/)[0];

const files = sourceFiles(SRC);
const edges = files.flatMap((file) => importsOf(file).map((target) => ({ from: relative(SRC, file), to: target })));

describe('import layers', () => {
  it('places every top-level folder and file of src/ in the layer table', () => {
    const unplaced = [...new Set(files.map((f) => topOf(relative(SRC, f))))].filter((name) => !layerOf.has(name));
    expect(unplaced).toEqual([]);
  });

  it('has no import from a lower layer to a higher one', () => {
    const upward = edges
      .filter((e) => (layerOf.get(topOf(e.to)) ?? -1) > (layerOf.get(topOf(e.from)) ?? Number.POSITIVE_INFINITY))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('keeps contracts/ a leaf: its records import nothing of the project but each other', () => {
    const outward = edges.filter((e) => topOf(e.from) === 'contracts' && topOf(e.to) !== 'contracts').map((e) => `${e.from} -> ${e.to}`);
    expect(outward).toEqual([]);
  });

  it('never imports test code from the shipped source', () => {
    const intoTests = edges.filter((e) => e.to.startsWith('..')).map((e) => `${e.from} -> ${e.to}`);
    expect(intoTests).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});

describe('the shipped package', () => {
  it('exports no test helper from the main entry point', () => {
    const index = readFileSync(join(SRC, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/scripted|testing|test-/i);
  });

  it('keeps test scaffolding out of src/ (only src/testing, published as errormap/testing)', () => {
    const scaffolding = files
      .map((f) => relative(SRC, f))
      .filter((f) => !f.startsWith('testing') && /(^|[\\/])(test-|.*-test-|.*fixtures)|scripted/.test(f));
    expect(scaffolding).toEqual([]);
  });
});
