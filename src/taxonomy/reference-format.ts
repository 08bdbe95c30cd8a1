import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { InputError } from '../errors.js';
import { ROOT_ID, stableNodeId } from './node-id.js';
import { finaliseTree, otherChild } from './populate.js';

/**
 * Taxonomy files: errormap's own taxonomy file (and atlas files, which may omit ids and counts) and
 * the tree the Python ErrorMap reference implementation writes, where every node is
 * {id, name, info, children, parent} and each analysed record is a child node of its category whose
 * info carries the record's fields (dataset, example_id, model, error_title, ...).
 */

interface OwnNodeInput {
  id?: string;
  name: string;
  description?: string;
  children?: OwnNodeInput[];
  failureIds?: string[];
}
const ownNodeSchema: z.ZodType<OwnNodeInput> = z.lazy(() =>
  z.object({
    id: z.string().min(1).optional(),
    name: z.string(),
    description: z.string().optional(),
    children: z.array(ownNodeSchema).optional(),
    failureIds: z.array(z.string()).optional(),
  }),
);

interface ReferenceNodeInput {
  id?: string;
  name: string;
  info?: Record<string, unknown>;
  children?: ReferenceNodeInput[];
}
const referenceNodeSchema: z.ZodType<ReferenceNodeInput> = z.lazy(() =>
  z.object({
    id: z.string().optional(),
    name: z.string(),
    info: z.record(z.string(), z.unknown()).optional(),
    children: z.array(referenceNodeSchema).optional(),
  }),
);

/** Fields that mark a reference node as an analysed record rather than a category. */
const RECORD_FIELDS = ['example_id', 'error_title', 'model', 'dataset', 'output_text'];

export interface ReferenceOptions {
  /** Maps a reference record's info to a failure id; by default a hash of dataset, example id and model. */
  failureIdOf?(info: Record<string, unknown>, nodeId: string): string;
}

export function referenceFailureId(info: Record<string, unknown>, nodeId: string): string {
  const parts = ['dataset', 'example_id', 'model'].map((k) => (info[k] === undefined ? '' : String(info[k])));
  if (parts.every((p) => p === '')) return `ref_${createHash('sha256').update(nodeId).digest('hex').slice(0, 16)}`;
  return `ref_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;
}

export function isReferenceFormat(json: unknown): boolean {
  return typeof json === 'object' && json !== null && ('info' in json || typeof (json as { parent?: unknown }).parent === 'string');
}

/** Converts a reference-implementation tree; ids are derived from names, so the same file gives the same ids. */
export function fromReferenceTree(json: unknown, options: ReferenceOptions = {}): TaxonomyNode {
  const parsed = referenceNodeSchema.parse(json);
  const failureIdOf = options.failureIdOf ?? referenceFailureId;
  const isRecord = (n: ReferenceNodeInput) => (n.children ?? []).length === 0 && RECORD_FIELDS.some((k) => n.info?.[k] !== undefined);
  const convert = (n: ReferenceNodeInput, id: string, depth: number): TaxonomyNode => {
    const node: TaxonomyNode = {
      id,
      name: n.name,
      description: String(n.info?.description ?? ''),
      depth,
      count: 0,
      share: 0,
      children: [],
    };
    const records = (n.children ?? []).filter(isRecord);
    node.children = (n.children ?? []).filter((c) => !isRecord(c)).map((c) => convert(c, stableNodeId(id, c.name), depth + 1));
    if (records.length > 0) node.failureIds = records.map((r) => failureIdOf(r.info ?? {}, r.id ?? r.name));
    return node;
  };
  const root = convert(parsed, ROOT_ID, 0);
  // The reference files records straight under the root when it found a single category.
  if (root.children.length === 0 && root.failureIds?.length) {
    otherChild(root).failureIds = root.failureIds;
    delete root.failureIds;
  }
  return finaliseTree(root, { sortByCount: false });
}

/** Reads errormap's own format; missing ids are derived from names, counts recomputed from the leaves. */
export function fromOwnTree(json: unknown): TaxonomyNode {
  const parsed = ownNodeSchema.parse(json);
  const convert = (n: OwnNodeInput, parentId: string, depth: number): TaxonomyNode => {
    const id = n.id ?? (depth === 0 ? ROOT_ID : stableNodeId(parentId, n.name));
    const node: TaxonomyNode = { id, name: n.name, description: n.description ?? '', depth, count: 0, share: 0, children: [] };
    node.children = (n.children ?? []).map((c) => convert(c, id, depth + 1));
    if (n.failureIds) node.failureIds = [...n.failureIds];
    return node;
  };
  return finaliseTree(convert(parsed, '', 0), { sortByCount: false });
}

/** Reads a taxonomy file in either format (the viewer and atlas mode use it). */
export function readTaxonomyFile(path: string, options: ReferenceOptions = {}): TaxonomyNode {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError({ file: path, problem: `cannot read the file (${code})`, code: 'INPUT_UNREADABLE' });
    throw new InputError({ file: path, problem: `not valid JSON: ${(e as Error).message}` });
  }
  try {
    return isReferenceFormat(json) ? fromReferenceTree(json, options) : fromOwnTree(json);
  } catch (e) {
    if (e instanceof z.ZodError) {
      const issue = e.issues[0];
      throw new InputError({ file: path, field: issue?.path.join('.'), problem: `not a taxonomy tree: ${issue?.message ?? e.message}` });
    }
    throw e;
  }
}

/** True when the file marks itself as a partial taxonomy (e.g. the starter atlas: top level only). */
export function isPartialTaxonomy(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { partial?: unknown }).partial === true;
  } catch {
    return false;
  }
}
