import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OTHER_NAME } from '../contracts/taxonomy-node.js';
import { ErrormapError } from '../errors.js';
import { ROOT_ID, stableNodeId } from './node-id.js';
import { isPartialTaxonomy, isReferenceFormat, readTaxonomyFile, referenceFailureId } from './reference-format.js';

const dir = mkdtempSync(join(tmpdir(), 'errormap-taxonomy-'));
function file(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

const record = (parent: string, title: string, example: string, model = 'm1') => ({
  id: `parent=${parent}__name=${title}__depth=1`,
  name: title,
  info: { dataset: 'd', example_id: example, model, error_title: title, error_summary: 's' },
  children: [],
  parent: `parent=${parent}`,
});

/** The shape the Python reference implementation writes (TaxonomyTree.to_dict). */
const referenceTree = {
  id: 'parent=None__name=LLM Errors__depth=0',
  name: 'LLM Errors',
  info: {},
  parent: '',
  children: [
    {
      id: 'parent=LLM Errors__name=Arithmetic Error__depth=0',
      name: 'Arithmetic Error',
      info: { description: 'Wrong calculations.' },
      parent: 'parent=None__name=LLM Errors__depth=0',
      children: [
        {
          id: 'x1',
          name: 'Sign Error',
          info: { description: 'Wrong sign.' },
          parent: '',
          children: [record('Sign Error', 'sign flip', 'e1'), record('Sign Error', 'minus lost', 'e2')],
        },
        {
          id: 'x2',
          name: 'Rounding',
          info: { description: 'Rounded too early.' },
          parent: '',
          children: [record('Rounding', 'early rounding', 'e3')],
        },
      ],
    },
    {
      id: 'parent=LLM Errors__name=Format Error__depth=0',
      name: 'Format Error',
      info: { description: 'Broken output format.' },
      parent: 'parent=None__name=LLM Errors__depth=0',
      children: [record('Format Error', 'bad json', 'e4'), record('Format Error', 'bad json', 'e4', 'm2')],
    },
  ],
};

describe('readTaxonomyFile', () => {
  it('converts the reference implementation tree: categories become nodes, records become leaf failures', () => {
    const root = readTaxonomyFile(file('ref.json', referenceTree));
    expect(root.name).toBe('LLM Errors');
    expect(root.count).toBe(5);
    expect(root.children.map((c) => [c.name, c.description, c.count])).toEqual([
      ['Arithmetic Error', 'Wrong calculations.', 3],
      ['Format Error', 'Broken output format.', 2],
    ]);
    const arithmetic = root.children[0];
    expect(arithmetic.children.map((c) => [c.name, c.count, c.depth])).toEqual([
      ['Sign Error', 2, 2],
      ['Rounding', 1, 2],
    ]);
    expect(root.children[1].failureIds).toHaveLength(2);
    expect(root.children[0].share).toBeCloseTo(0.6);
  });

  it('assigns the same ids to the same reference file', () => {
    const a = readTaxonomyFile(file('ref-a.json', referenceTree));
    const b = readTaxonomyFile(file('ref-b.json', referenceTree));
    expect(b).toEqual(a);
    expect(a.children[0].id).toMatch(/^c_[0-9a-f]{10}$/);
  });

  it('uses a caller-supplied failure id mapping', () => {
    const root = readTaxonomyFile(file('ref-c.json', referenceTree), { failureIdOf: (info) => `${info.model}/${info.example_id}` });
    expect(root.children[1].failureIds).toEqual(['m1/e4', 'm2/e4']);
  });

  it('files records the reference put straight under the root into Other', () => {
    const root = readTaxonomyFile(file('ref-flat.json', { ...referenceTree, children: [record('LLM Errors', 'x', 'e9')] }));
    expect(root.children.map((c) => [c.name, c.count])).toEqual([[OTHER_NAME, 1]]);
  });

  it('reads its own format, keeping ids and deriving missing ones', () => {
    const own = {
      id: 'root',
      name: 'LLM Errors',
      description: '',
      partial: true,
      children: [
        { id: 'keep_me', name: 'A', description: 'a', children: [], failureIds: ['f1', 'f2'] },
        { name: 'B', description: 'b' },
      ],
    };
    const root = readTaxonomyFile(file('own.json', own));
    expect(root.children[0].id).toBe('keep_me');
    expect(root.children[1].id).toMatch(/^c_/);
    expect(root.children.map((c) => c.count)).toEqual([2, 0]);
    expect(root.children.map((c) => c.share)).toEqual([1, 0]);
  });

  it('names the file when it is not a taxonomy', () => {
    expect(() => readTaxonomyFile(file('bad.json', '{"children": 3}'))).toThrow(/bad\.json.*not a taxonomy/);
    expect(() => readTaxonomyFile(file('broken.json', '{'))).toThrow(ErrormapError);
    expect(() => readTaxonomyFile(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('reference ids and formats', () => {
  const sha16 = (text: string) => `ref_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

  it('gives a record the hash of dataset, example and model; the node id when it has none of them', () => {
    expect(referenceFailureId({ dataset: 'd', example_id: 7, model: 'm' }, 'node')).toBe(sha16('d\u0000' + '7\u0000m'));
    expect(referenceFailureId({ example_id: 'e1' }, 'node')).toBe(sha16('\u0000e1\u0000'));
    expect(referenceFailureId({ description: 'x' }, 'node-9')).toBe(sha16('node-9'));
  });

  it('tells the reference layout (info, or a parent string) from errormap’s own', () => {
    expect(isReferenceFormat({ name: 'x', info: {} })).toBe(true);
    expect(isReferenceFormat({ name: 'x', parent: '' })).toBe(true);
    expect(isReferenceFormat({ name: 'x', parent: 3 })).toBe(false);
    expect(isReferenceFormat({ name: 'x', children: [] })).toBe(false);
    expect(isReferenceFormat(null)).toBe(false);
    expect(isReferenceFormat('info')).toBe(false);
  });

  it('knows a partial taxonomy by its flag, and calls an unreadable file not partial', () => {
    expect(isPartialTaxonomy(file('partial.json', { name: 'r', partial: true }))).toBe(true);
    expect(isPartialTaxonomy(file('whole.json', { name: 'r', partial: 'yes' }))).toBe(false);
    expect(isPartialTaxonomy(file('broken-partial.json', '{'))).toBe(false);
    expect(isPartialTaxonomy(join(dir, 'absent.json'))).toBe(false);
  });

  it('keeps a category without records or children, and files records by their id or name', () => {
    const tree = {
      name: 'LLM Errors',
      info: {},
      children: [
        { name: 'Empty', info: { description: 'nothing yet' } },
        {
          name: 'Held',
          info: {},
          children: [
            { name: 'rec', info: { error_title: 't' } },
            { id: 'r2', name: 'rec2', info: { model: 'm' } },
          ],
        },
      ],
    };
    const ids: string[] = [];
    const root = readTaxonomyFile(file('ref-ids.json', tree), {
      failureIdOf: (info, nodeId) => {
        ids.push(nodeId);
        return `${nodeId}:${Object.keys(info).join(',')}`;
      },
    });
    expect(ids).toEqual(['rec', 'r2']);
    expect(root.children.map((c) => [c.id, c.name, c.description, c.depth, c.failureIds])).toEqual([
      [stableNodeId(ROOT_ID, 'Empty'), 'Empty', 'nothing yet', 1, []],
      [stableNodeId(ROOT_ID, 'Held'), 'Held', '', 1, ['r2:model', 'rec:error_title']],
    ]);
  });

  it('derives own-format ids from the parent, the root being "root"', () => {
    const root = readTaxonomyFile(file('own-ids.json', { name: 'LLM Errors', children: [{ name: 'A', children: [{ name: 'B' }] }] }));
    const a = root.children[0];
    expect([root.id, a.id, a.children[0].id]).toEqual([ROOT_ID, stableNodeId(ROOT_ID, 'A'), stableNodeId(stableNodeId(ROOT_ID, 'A'), 'B')]);
    expect([root.depth, a.depth, a.children[0].depth]).toEqual([0, 1, 2]);
    expect(a.children[0].description).toBe('');
  });

  it('says which field is wrong, what is not JSON, and which file cannot be read', () => {
    const bad = file('bad-field.json', { name: 'r', children: [{ name: 5 }] });
    expect(() => readTaxonomyFile(bad)).toThrow(new RegExp(`^${bad}, field "children\\.0\\.name": not a taxonomy tree: `));
    const broken = file('broken-2.json', '{"name": ');
    expect(() => readTaxonomyFile(broken)).toThrow(new RegExp(`^${broken}: not valid JSON: `));
    const missing = join(dir, 'missing-2.json');
    expect(() => readTaxonomyFile(missing)).toThrow(`${missing}: cannot read the file (ENOENT)`);
  });
});
