import { type AnswerValue, readAnswerValue } from './answer-value.js';
import { type ChoiceOption, parseOptions } from './choice-options.js';
import type { AnswerFormatConfig } from './finding.js';
import { type ParsedNumber, parseWholeNumber, stripMathMarkup } from './number-parsing.js';

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
  /** The numeric value, when the answer reads as a number (not an expression that contains one). */
  number?: ParsedNumber;
  /** What the answer states, read as a whole: a number, an expression, "undefined", or text. */
  value?: AnswerValue;
  /** The verbatim passage of the output it came from. */
  quote: string;
  /** True when found in the format the prompt asked for; false for a fallback such as "Final Answer: C". */
  strict: boolean;
}

const ASKS_LETTER = /answer is \(X\)|letter choice|correct (?:letter|option)/i;
const ASKS_PHRASE = /(?:the )?answer is \.\.\.|"Therefore, the answer is/i;

/** Resolves the answer format for one dataset row; `config` (kind other than auto) overrides detection. */
export function detectAnswerFormat(input: string, reference?: string, config?: AnswerFormatConfig): AnswerFormat {
  // Stryker disable next-line StringLiteral: 'auto' is only a default that none of the kinds below equals, as '' does not
  const kind = config?.kind ?? 'auto';
  const options = parseOptions(input);
  const required = true;
  if (kind === 'choice') return { kind, options, requested: 'a letter choice', required };
  if (kind === 'boxed') return { kind, requested: '\\boxed{...}', required };
  if (kind === 'number') return { kind, requested: 'a final number', required };
  if (kind === 'regex') {
    // Stryker disable next-line OptionalChaining: kind is 'regex' only when config is given
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
    // Stryker disable next-line ConditionalExpression,StringLiteral: without this case the switch ends and returns undefined all the same
    case 'free':
      return undefined;
  }
}

/** Drops end-of-text and chat-template tokens some models print ("</s>", "<|eot_id|>", "<eos>"). */
export function cleanOutput(output: string): string {
  return output.replace(/<\/?s>|<\|[a-z_]+\|>|<eos>|<end_of_turn>|<\|?endoftext\|?>/gi, '');
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
    if (match) return { text: match[1], quote: match[0], strict: false };
  }
  const onLastLine = lastLineChoice(text, options, letters);
  if (onLastLine) return onLastLine;
  // A concluding sentence naming exactly one option: "Therefore, … his argument that (F) we cannot know…".
  const last = finalSentence(text);
  const named = [...new Set([...last.matchAll(new RegExp(String.raw`\(([${letters}])\)`, 'g'))].map((m) => m[1]))];
  if (/^(?:Therefore|Thus|So|Hence)\b/i.test(last) && named.length === 1) return { text: named[0], quote: last, strict: false };
  return undefined;
}

/**
 * A last line that is itself the answer, in the spellings models use: "Solution: Choice_C", "Option C is
 * correct.", "(C)", "C. <option text>", or the option's text alone.
 */
function lastLineChoice(text: string, options: ChoiceOption[], letters: string): ExtractedAnswer | undefined {
  const line = lastLine(text)
    .replace(/\*\*|__/g, '')
    .trim();
  if (/\b(?:incorrect|not|wrong|eliminate)\b/i.test(line)) return undefined;
  const named = new RegExp(String.raw`\b(?:Choice|Option)[_ ]?\(?([${letters}])\b\)?`).exec(line);
  if (named) return { text: named[1], quote: line, strict: false };
  const bare = new RegExp(String.raw`^(?:[A-Za-z ]{0,20}:\s*)?\(?([${letters}])\)?(?:[.):]\s*(.*))?$`).exec(line);
  if (bare && (!bare[2] || sameText(bare[2], optionTextOf(options, bare[1])))) return { text: bare[1], quote: line, strict: false };
  // The option's text alone, when exactly one option's text is on the line and the line says little else.
  const holding = options.filter((o) => o.text.length >= 3 && line.toLowerCase().includes(o.text.toLowerCase()));
  const longest = holding.sort((x, y) => y.text.length - x.text.length)[0];
  if (
    longest &&
    holding.every((o) => longest.text.toLowerCase().includes(o.text.toLowerCase())) &&
    line.length <= longest.text.length + 40
  ) {
    return { text: longest.letter, quote: line, strict: false };
  }
  return undefined;
}

function optionTextOf(options: ChoiceOption[], letter: string): string {
  return options.find((o) => o.letter === letter)?.text ?? '';
}

function sameText(a: string, b: string): boolean {
  const norm = (t: string) =>
    t
      .toLowerCase()
      .replace(/[\s.$]+/g, ' ')
      .trim();
  return b !== '' && (norm(a).startsWith(norm(b)) || norm(b).startsWith(norm(a)));
}

function lastLine(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trim() !== '') return lines[i].trim();
  return '';
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
  // Each phrase stops before the next "answer is" on its line, so the last one on a line is found too.
  const matches = [...text.matchAll(/answer is:?\s*((?:(?!answer is)[^\n])*)/gi)];
  for (const match of matches.reverse()) {
    // "If the answer is True, then…" states a condition, not an answer.
    if (/\bif\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, (match.index ?? 0) - 12), match.index))) continue;
    const phrase = trimSentence(match[1]);
    if (phrase !== '') return withNumber({ text: phrase, quote: match[0].trim(), strict });
  }
  return undefined;
}

function extractNumber(text: string): ExtractedAnswer | undefined {
  // An expression or "undefined" is the answer given, even though it is not a number: keep it, so detectors
  // can say it is not in the requested form instead of reading a number out of it.
  // Text with figures in it ("[3, 0, 2]", "between $6,000 and $10,000") is an answer too, just not one number.
  const states = (a: ExtractedAnswer | undefined) => a?.value && (a.value.form !== 'text' || /\d/.test(a.text));
  const phrase = extractPhrase(text, true);
  if (states(phrase)) return phrase;
  const boxed = extractBoxed(text, false);
  if (states(boxed)) return boxed;
  const last = lastSentenceAnswer(text);
  return states(last) ? last : undefined;
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
    const marked = afterLastMarker(sentence);
    if (marked !== undefined) {
      const answer = withNumber({ text: trimSentence(marked), quote: sentence, strict: false });
      if (answer.value && (answer.value.form !== 'text' || /\d/.test(answer.text))) return answer;
    } else {
      const whole = readAnswerValue(sentence);
      if (whole.form === 'nonexistent') return { text: whole.phrase, value: whole, quote: sentence, strict: false };
      // A bare list ("[1, 2, 14]") is the answer as written.
      if (/^\[[^\]]*\d[^\]]*\]\.?$/.test(sentence)) return { text: sentence, value: { form: 'text' }, quote: sentence, strict: false };
      // No "=", "is" or "≈": a sentence ending on its value ("… a profit of 200.").
      const number = lastNumber(sentence.replace(/^Step \d+[).:]?\s*/i, ''));
      if (number) return { text: number.raw, number, value: { form: 'number', number, percent: false }, quote: sentence, strict: false };
    }
    const word = /\b(true|false)\b/i.exec(sentence)?.[1];
    if (word) return { text: word, quote: sentence, strict: false };
    const option = /\(([a-d])\)/.exec(sentence)?.[1];
    if (option) return { text: `(${option})`, quote: sentence, strict: false };
  }
  return undefined;
}

/** The last number written in a sentence ("… will work 4,800 hours." → 4800). */
function lastNumber(sentence: string): ParsedNumber | undefined {
  for (const token of sentence.split(/\s+/).reverse()) {
    const value = readAnswerValue(token.replace(/[.,;:!?]+$/, ''));
    if (value.form === 'number') return value.number;
  }
  return undefined;
}

function finalSentence(text: string): string {
  const sentences = lastLine(text).split(/(?<=[.!?])\s+(?=[A-Z])/);
  // Stryker disable next-line StringLiteral: split() returns at least one element, so at(-1) is never undefined
  return sentences.at(-1) ?? '';
}

/** The value part of a concluding sentence: after its last "=", "≈" or "is"; undefined without a marker. */
function afterLastMarker(sentence: string): string | undefined {
  const eq = Math.max(sentence.lastIndexOf('='), sentence.lastIndexOf('≈'), sentence.lastIndexOf('\\approx'));
  if (eq >= 0) return sentence.slice(eq + 1).replace(/^approx/, '');
  const is = /\b(?:is|are|be|equals)\b(?!.*\b(?:is|are|be|equals)\b)(?:\s+(?:approximately|about|around|roughly|equal to))?/.exec(sentence);
  return is ? sentence.slice(is.index + is[0].length) : undefined;
}

/** Reads what the answer text states; "5C3 x 3! = 60" states its last value, 60. */
function withNumber(answer: ExtractedAnswer): ExtractedAnswer {
  const text = answer.text.slice(answer.text.lastIndexOf('=') + 1);
  const value = readAnswerValue(text);
  return value.form === 'number' ? { ...answer, value, number: value.number } : { ...answer, value };
}

function trimSentence(phrase: string): string {
  // End at a sentence stop that is not a decimal point.
  const stop = /\.(?=\s|$)|(?<=[^\d])\.(?=[A-Z])/.exec(phrase);
  const cut = stop ? phrase.slice(0, stop.index) : phrase;
  return stripMathMarkup(cut).trim();
}
