/**
 * Model outputs, inputs and references rendered as their authors meant them: Markdown (markdown-it, with raw
 * HTML, links and images switched off so they stay text) and LaTeX (KaTeX to MathML, trust off), the
 * result passed through DOMPurify before it reaches the page. Nothing in the data can become a script, an
 * event handler, a link or a request.
 */
import DOMPurify from 'dompurify';
import katex from 'katex';
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable(['link', 'image', 'autolink']);

/** A stretch of the text: prose (Markdown) or a formula (LaTeX, shown inline or as a block). */
export interface Segment {
  kind: 'text' | 'math';
  /** The source: the prose, or the formula without its delimiters. */
  source: string;
  display: boolean;
  start: number;
  end: number;
}

// $$…$$, \[…\], \(…\), $…$ (not a price: no space inside the dollars, no digit right after) and a bare \boxed{…}.
const MATH =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$(?=\S)((?:\\\$|[^$\n])+?)(?<=\S)\$(?!\d)|(\\boxed\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})/g;

/** Splits a text into prose and formulas. */
export function splitMath(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(MATH)) {
    const start = m.index ?? 0;
    if (start > at) out.push({ kind: 'text', source: text.slice(at, start), display: false, start: at, end: start });
    const [, block, bracket, paren, inline, boxed] = m;
    const source = block ?? bracket ?? paren ?? inline ?? boxed ?? '';
    out.push({ kind: 'math', source, display: block !== undefined || bracket !== undefined, start, end: start + m[0].length });
    at = start + m[0].length;
  }
  if (at < text.length) out.push({ kind: 'text', source: text.slice(at), display: false, start: at, end: text.length });
  return out;
}

// Private-use characters mark where formulas and the final answer go; the same characters in data are replaced first.
const MATH_OPEN = '\uE000';
const MATH_CLOSE = '\uE001';
const MARK_OPEN = '\uE002';
const MARK_CLOSE = '\uE003';
const PRIVATE = /[\uE000-\uE003]/g;

function formula(source: string, display: boolean): string {
  const html = katex.renderToString(source, {
    output: 'mathml',
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxExpand: 500,
    maxSize: 20,
  });
  // KaTeX keeps the TeX in an <annotation> inside <semantics>, which the sanitiser rightly refuses: drop the wrappers.
  return html.replace(/<annotation\b[^>]*>[\s\S]*?<\/annotation>/g, '').replace(/<\/?semantics>/g, '');
}

/** Prose: HTML only, without links, media, forms or inline styles. */
const SANITISE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['a', 'img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'href', 'src', 'xlink:href', 'action', 'formaction'],
};

/**
 * Formulas: MathML only. SAFE_FOR_XML is off here because it removes any element whose text looks like
 * markup, and a formula's \text{<script>…} is exactly such text: it must stay visible as text (KaTeX
 * escapes it, and no element outside the MathML allowlist survives).
 */
const SANITISE_MATH = { USE_PROFILES: { mathMl: true }, SAFE_FOR_XML: false };

/**
 * The HTML of a text rendered as Markdown with formulas; `mark` ([start, end) in the text) is wrapped in
 * <mark class="final-answer"> (the whole formula when it falls inside one). Sanitised.
 */
export function renderRich(text: string, mark?: [number, number]): string {
  const clean = text.replace(PRIVATE, '\uFFFD');
  const formulas: string[] = [];
  let source = '';
  for (const seg of splitMath(clean)) {
    if (seg.kind === 'math') {
      const marked = mark !== undefined && seg.start < mark[1] && seg.end > mark[0];
      const html = DOMPurify.sanitize(formula(seg.source, seg.display), SANITISE_MATH) as string;
      formulas.push(marked ? `<mark class="final-answer">${html}</mark>` : html);
      const token = `${MATH_OPEN}${formulas.length - 1}${MATH_CLOSE}`;
      source += seg.display ? `\n\n${token}\n\n` : token;
      continue;
    }
    if (!mark || seg.end <= mark[0] || seg.start >= mark[1]) {
      source += seg.source;
      continue;
    }
    const from = Math.max(0, mark[0] - seg.start);
    const to = Math.min(seg.source.length, mark[1] - seg.start);
    source += `${seg.source.slice(0, from)}${MARK_OPEN}${seg.source.slice(from, to)}${MARK_CLOSE}${seg.source.slice(to)}`;
  }
  // Prose is sanitised with the formulas still placeholders (plain text), then each sanitised formula goes in.
  const prose = DOMPurify.sanitize(
    markdown.render(source).replaceAll(MARK_OPEN, '<mark class="final-answer">').replaceAll(MARK_CLOSE, '</mark>'),
    SANITISE,
  ) as string;
  return prose.replace(/\uE000(\d+)\uE001/g, (_, i: string) => formulas[Number(i)] ?? '');
}
