import { type ChoiceOption, parseOptions } from './choice-options.js';
import type { AnswerFormatConfig } from './finding.js';
import { firstNumber, type ParsedNumber, parseWholeNumber, stripMathMarkup } from './number-parsing.js';

/** How the final answer should be read from an output, resolved from the prompt, the reference and the user's config. */
export type AnswerFormat = (
  | { kind: 'choice'; options: ChoiceOption[] }
  | { kind: 'boxed' }
  | { kind: 'number' }
  /** "the answer is ..." with a non-numeric reference (True/False, a list, an option). */
  | { kind: 'phrase' }
  | { kind: 'regex'; pattern: RegExp }
  /** Open-ended output: there is no final answer to extract. */
  | { kind: 'free' }
) & {
  /** The requested form, in words, for findings. */
  requested: string;
  /** True when the prompt or the user's config asks for this format, so a missing answer is a failure in itself. */
  required: boolean;
};

export interface ExtractedAnswer {
  /** The answer as text: a letter, the boxed content, the phrase after "the answer is". */
  text: string;
  /** The numeric value, when the answer reads as a number. */
  number?: ParsedNumber;
  /** The verbatim passage of the output it came from. */
  quote: string;
  /** True when found in the format the prompt asked for; false for a fallback such as "Final Answer: C". */
  strict: boolean;
}

const ASKS_LETTER = /answer is \(X\)|letter choice|correct (?:letter|option)/i;
const ASKS_PHRASE = /(?:the )?answer is \.\.\.|"Therefore, the answer is/i;

/** Resolves the answer format for one dataset row; `config` (kind other than auto) overrides detection. */
export function detectAnswerFormat(input: string, reference?: string, config?: AnswerFormatConfig): AnswerFormat {
  const kind = config?.kind ?? 'auto';
  const options = parseOptions(input);
  const required = true;
  if (kind === 'choice') return { kind, options, requested: 'a letter choice', required };
  if (kind === 'boxed') return { kind, requested: '\\boxed{...}', required };
  if (kind === 'number') return { kind, requested: 'a final number', required };
  if (kind === 'regex') {
    if (!config?.pattern) return { kind: 'free', requested: 'free text', required: false };
    return { kind, pattern: new RegExp(config.pattern, 'i'), requested: `text matching /${config.pattern}/`, required };
  }
  if (ASKS_LETTER.test(input) || options.length >= 3) {
    // Lettered options alone make a choice question; only an explicit instruction makes the letter required.
    return { kind: 'choice', options, requested: '"the answer is (X)"', required: ASKS_LETTER.test(input) };
  }
  if (/\\boxed/.test(input)) return { kind: 'boxed', requested: '\\boxed{...}', required };
  const numericReference = reference !== undefined && parseWholeNumber(reference) !== undefined;
  if (ASKS_PHRASE.test(input)) {
    return numericReference
      ? { kind: 'number', requested: '"the answer is <number>"', required }
      : { kind: 'phrase', requested: '"the answer is ..."', required };
  }
  // A numeric reference without an instruction: read a number if there is one, but do not demand it.
  if (numericReference) return { kind: 'number', requested: 'a final number', required: false };
  return { kind: 'free', requested: 'free text', required: false };
}

/** Reads the final answer in the given format; a lenient fallback is marked strict: false. */
export function extractAnswer(output: string, format: AnswerFormat): ExtractedAnswer | undefined {
  const text = cleanOutput(output);
  switch (format.kind) {
    case 'choice':
      return extractChoice(text, format.options);
    case 'boxed':
      return extractBoxed(text, true) ?? extractPhrase(text, false);
    case 'number':
      return extractNumber(text);
    case 'phrase':
      return extractPhrase(text, true) ?? extractBoxed(text, false) ?? openingVerdict(text) ?? lastSentenceAnswer(text);
    case 'regex': {
      const matches = [...text.matchAll(new RegExp(format.pattern.source, 'gi'))];
      const last = matches.at(-1);
      if (!last) return undefined;
      return withNumber({ text: (last[1] ?? last[0]).trim(), quote: last[0], strict: true });
    }
    case 'free':
      return undefined;
  }
}

/** Drops chat-template tokens some models print (alpaca's "</s><s>"). */
export function cleanOutput(output: string): string {
  return output.replace(/<\/?s>/g, '').replace(/<\|[a-z_]+\|>/g, '');
}

function extractChoice(text: string, options: ChoiceOption[]): ExtractedAnswer | undefined {
  const letters = `A-${options.at(-1)?.letter ?? 'J'}`;
  // The requested form, as MMLU-Pro's scorer reads it: the first "answer is (X)".
  const strict = new RegExp(String.raw`[Aa]nswer is:?[ \t]*\(?\$?(?:\\boxed\{)?([${letters}])\b\)?`).exec(text);
  if (strict) return { text: strict[1], quote: strict[0], strict: true };
  const fallbacks = [
    new RegExp(String.raw`[Aa]nswer\s*(?:is|:)?\s*:?\s*\**\s*\(?([${letters}])\b[).:]?`, 'g'),
    new RegExp(String.raw`\\boxed\{\s*\(?([${letters}])\)?`, 'g'),
    new RegExp(
      String.raw`(?:[Cc]orrect|[Bb]est|[Rr]ight|[Cc]losest) (?:answer|option|choice) (?:is|would be):?\s*\(?([${letters}])\b\)?`,
      'g',
    ),
    new RegExp(String.raw`[Aa]nswer[^\n]{0,40}:\s*\n+\s*\(?([${letters}])[.)]`, 'g'),
  ];
  for (const pattern of fallbacks) {
    const match = [...text.matchAll(pattern)].at(-1);
    if (match) return { text: match[1], quote: match[0].trim(), strict: false };
  }
  // A concluding sentence naming exactly one option: "Therefore, … his argument that (F) we cannot know…".
  const last = finalSentence(text);
  const named = [...new Set([...last.matchAll(new RegExp(String.raw`\(([${letters}])\)`, 'g'))].map((m) => m[1]))];
  if (/^(?:Therefore|Thus|So|Hence)\b/i.test(last) && named.length === 1) return { text: named[0], quote: last, strict: false };
  return undefined;
}

function extractBoxed(text: string, strict: boolean): ExtractedAnswer | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start + 6; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) {
      const inner = text.slice(start + 7, i).trim();
      return withNumber({ text: inner, quote: text.slice(start, i + 1), strict });
    }
  }
  return undefined;
}

/** The text after the last "the answer is", up to the end of its sentence. */
function extractPhrase(text: string, strict: boolean): ExtractedAnswer | undefined {
  const matches = [...text.matchAll(/answer is:?\s*([^\n]*)/gi)];
  for (const match of matches.reverse()) {
    // "If the answer is True, then…" states a condition, not an answer.
    if (/\bif\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, (match.index ?? 0) - 12), match.index))) continue;
    const phrase = trimSentence(match[1]);
    if (phrase !== '') return withNumber({ text: phrase, quote: match[0].trim(), strict });
  }
  return undefined;
}

function extractNumber(text: string): ExtractedAnswer | undefined {
  const phrase = extractPhrase(text, true);
  if (phrase?.number) return phrase;
  const boxed = extractBoxed(text, false);
  if (boxed?.number) return boxed;
  // A number was asked for: a phrase without one ("cannot be expressed as a number", "ln(1+sqrt(3))") is no answer.
  const last = lastSentenceAnswer(text);
  return last?.number ? last : undefined;
}

/** An output that opens with its verdict: "True. The fifth Maclaurin polynomial…". */
function openingVerdict(text: string): ExtractedAnswer | undefined {
  const match = /^\s*(True|False)\b[.!,]?/.exec(text);
  return match ? { text: match[1], quote: match[0].trim(), strict: false } : undefined;
}

/** Fallback: the last sentence that states a value ("Therefore, the index of refraction is 1.23."). */
function lastSentenceAnswer(text: string): ExtractedAnswer | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const lastLine = lines.at(-1);
  // A line cut off mid-sentence (or mid-loop) is not a concluding sentence.
  if (!lastLine || !/[.!?)\]}$`'"]$/.test(lastLine)) return undefined;
  const sentences = lastLine.split(/(?<=[.!?])\s+(?=[A-Z])/);
  for (const sentence of sentences.reverse()) {
    const value = afterLastMarker(sentence);
    const number = looksSymbolic(value) ? undefined : (firstNumber(value) ?? lastNumber(sentence.replace(/^Step \d+[).:]?\s*/i, '')));
    if (number) return { text: trimSentence(value), number, quote: sentence, strict: false };
    const word = /\b(true|false)\b/i.exec(sentence)?.[1];
    if (word) return { text: word, quote: sentence, strict: false };
    const option = /\(([a-d])\)/.exec(sentence)?.[1];
    if (option) return { text: `(${option})`, quote: sentence, strict: false };
  }
  return undefined;
}

function lastNumber(sentence: string): ParsedNumber | undefined {
  const tokens = sentence.split(/\s+/).reverse();
  for (const token of tokens) {
    const number = firstNumber(token);
    if (number) return number;
  }
  return undefined;
}

function finalSentence(text: string): string {
  const lastLine =
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? '';
  return lastLine.split(/(?<=[.!?])\s+(?=[A-Z])/).at(-1) ?? '';
}

function afterLastMarker(sentence: string): string {
  const eq = sentence.lastIndexOf('=');
  if (eq >= 0) return sentence.slice(eq + 1);
  const is = /\b(?:is|are|be|of|equals|approximately)\b(?!.*\b(?:is|are|be|equals|approximately)\b)/.exec(sentence);
  return is ? sentence.slice(is.index) : sentence;
}

/** A formula rather than a value: ln(1+sqrt(3)), \frac{p}{50-p}, x^2. */
export function looksSymbolic(text: string): boolean {
  return /\b(?:ln|log|sqrt|sin|cos|tan|exp)\s*\(|\\(?:sqrt|ln|log|sin|cos|tan)\b|\\d?frac\{[^{}]*[a-zA-Z][^{}]*\}|\b[a-z]\s*\^|\^\s*\{?[a-z]/.test(
    text,
  );
}

function withNumber(answer: ExtractedAnswer): ExtractedAnswer {
  const value = answer.text.includes('=') ? answer.text.slice(answer.text.lastIndexOf('=') + 1) : answer.text;
  if (looksSymbolic(value)) return answer;
  const number = firstNumber(value);
  return number ? { ...answer, number } : answer;
}

function trimSentence(phrase: string): string {
  // End at a sentence stop that is not a decimal point.
  const stop = /\.(?=\s|$)|(?<=[^\d])\.(?=[A-Z])/.exec(phrase);
  const cut = stop ? phrase.slice(0, stop.index) : phrase;
  return stripMathMarkup(cut).trim();
}
