/**
 * Deterministic stand-in answers for the four taxonomy tasks. They read the titles and categories
 * back out of errormap's own rendered prompts and group titles by keywords. They prove plumbing
 * (batching, matching, recursion, population), not the quality of a taxonomy.
 */

export interface TaxonomyRequest {
  task: string;
  system: string;
  user: string;
}

interface Category {
  name: string;
  description: string;
}

const TOP_LEVEL: [RegExp, Category][] = [
  [
    /calculat|arithmetic|comput|multipl|divid|sum\b/i,
    { name: 'Computation Error', description: 'A numeric calculation was carried out wrongly.' },
  ],
  [/count|enumerat/i, { name: 'Counting Error', description: 'Items were counted or listed wrongly.' }],
  [/fact|halluc|date|invent/i, { name: 'Factual Error', description: 'A stated fact is wrong or made up.' }],
  [
    /format|json|length|instruction|constraint/i,
    { name: 'Instruction Violation', description: 'An explicit instruction or format rule was not followed.' },
  ],
  [/logic|reason|inference|deduc/i, { name: 'Logical Reasoning Error', description: 'A step of reasoning does not follow.' }],
  [/miss|omit|incomplete/i, { name: 'Missing Required Element', description: 'A required part of the answer is absent.' }],
];

function capitalised(word: string): string {
  const w = word.replace(/[^\p{L}\p{N}-]/gu, '');
  return w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : 'Misc';
}

/**
 * How deep a request is: 1 at the root, 2 under a top-level category (or an Other), 3 under a
 * second-level "… Cases" category.
 */
export type ScriptedLevel = 1 | 2 | 3;

/**
 * The category the scripted judge gives a title: keywords at level 1, the title's last word at level 2,
 * the size of the first number in the title at level 3 (below 10, below 20, or higher).
 */
export function scriptedCategoryOf(title: string, level: ScriptedLevel): Category {
  const words = title.trim().split(/\s+/);
  if (level === 3) {
    const n = /\d+/.exec(title)?.[0];
    const size = n === undefined ? 'Unnumbered' : Number(n) < 10 ? 'Low' : Number(n) < 20 ? 'Middle' : 'High';
    const name = `${size} Numbered Titles`;
    return { name, description: `Errors whose title's first number is ${size.toLowerCase()}.` };
  }
  if (level === 2) {
    const name = `${capitalised(words[words.length - 1] ?? '')} Cases`;
    return { name, description: `Errors whose title ends with "${name.split(' ')[0].toLowerCase()}".` };
  }
  const hit = TOP_LEVEL.find(([re]) => re.test(title));
  if (hit) return hit[1];
  const name = `${capitalised(words[0] ?? '')} Errors`;
  return { name, description: `Errors whose title starts with "${name.split(' ')[0].toLowerCase()}".` };
}

function block(user: string, tag: string): string[] {
  const m = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(user);
  return m ? m[1].split('\n').filter((l) => l.trim() !== '') : [];
}

function categoriesIn(user: string, tag: string): Category[] {
  return block(user, tag).map((l) => JSON.parse(l) as Category);
}

/** Titles with counts from "<json> ×N" lines (generation, update). */
function countedTitles(user: string): { title: string; count: number }[] {
  return block(user, 'error_titles').map((l) => {
    const m = /^(".*") ×(\d+)$/.exec(l);
    if (!m) throw new Error(`scripted taxonomy answers: unexpected title line ${l}`);
    return { title: JSON.parse(m[1]) as string, count: Number(m[2]) };
  });
}

/** Titles from "N. <json>" lines (classification). */
function numberedTitles(user: string): { id: number; title: string }[] {
  return block(user, 'error_titles').map((l) => {
    const m = /^(\d+)\. (".*")$/.exec(l);
    if (!m) throw new Error(`scripted taxonomy answers: unexpected title line ${l}`);
    return { id: Number(m[1]), title: JSON.parse(m[2]) as string };
  });
}

function maxCategories(user: string): number {
  const m = /at most (\d+) categories/.exec(user);
  return m ? Number(m[1]) : 25;
}

/** The level of a rendered taxonomy prompt, read from the parent category it names. */
function levelOf(user: string): ScriptedLevel {
  const parent = /parent category "(.*?)"/.exec(user)?.[1];
  if (parent === undefined) return 1;
  return parent.endsWith(' Cases') ? 3 : 2;
}
const key = (name: string) => name.trim().toLowerCase();

/** Categories of a batch, most failures first (ties by name). */
function categoriesFor(titles: { title: string; count: number }[], level: ScriptedLevel): Category[] {
  const totals = new Map<string, { category: Category; count: number }>();
  for (const t of titles) {
    const category = scriptedCategoryOf(t.title, level);
    const entry = totals.get(category.name) ?? { category, count: 0 };
    entry.count += t.count;
    totals.set(category.name, entry);
  }
  return [...totals.values()].sort((a, b) => b.count - a.count || a.category.name.localeCompare(b.category.name)).map((e) => e.category);
}

function union(first: Category[], second: Category[]): Category[] {
  const seen = new Set(first.map((c) => key(c.name)));
  return [...first, ...second.filter((c) => !seen.has(key(c.name)))];
}

/** The rating part of update and review answers: a fixed figure per task, naming the list's size. */
function rated(task: 'taxonomy_update' | 'taxonomy_review', categories: Category[]) {
  return {
    rating: task === 'taxonomy_review' ? 85 : 70,
    explanation: `Scripted ${task === 'taxonomy_review' ? 'review' : 'update'} of ${categories.length} categories.`,
    suggestions: 'None: scripted answer.',
    categories,
  };
}

export function scriptedTaxonomyAnswer(req: TaxonomyRequest): unknown {
  const level = levelOf(req.user);
  const max = maxCategories(req.user);
  switch (req.task) {
    case 'taxonomy_generation': {
      const existing = new Set(categoriesIn(req.user, 'existing_categories').map((c) => key(c.name)));
      const proposed = categoriesFor(countedTitles(req.user), level).filter((c) => !existing.has(key(c.name)));
      return { categories: proposed.slice(0, max) };
    }
    case 'taxonomy_update':
      return rated(
        'taxonomy_update',
        union(categoriesIn(req.user, 'current_categories'), categoriesFor(countedTitles(req.user), level)).slice(0, max),
      );
    case 'taxonomy_review':
      return rated('taxonomy_review', categoriesIn(req.user, 'categories').slice(0, max));
    case 'error_classification': {
      const offered = new Map(categoriesIn(req.user, 'categories').map((c) => [key(c.name), c.name]));
      return {
        assignments: numberedTitles(req.user).map(({ id, title }) => ({
          id,
          category: offered.get(key(scriptedCategoryOf(title, level).name)) ?? 'Other',
        })),
      };
    }
    default:
      throw new Error(`scripted taxonomy answers: task ${req.task} is not a taxonomy task`);
  }
}
