import { evaluateClosedForm } from './closed-form-math.js';
import { firstNumber, type ParsedNumber, stripMathMarkup } from './number-parsing.js';

/** What a final answer states, read as a whole rather than as "the first number in it". */
export type AnswerValue =
  /** A number, possibly with a unit or a percent sign ("5 m/s", "37.5%", "3.2 \\times 10^{-7}"). */
  | { form: 'number'; number: ParsedNumber; percent: boolean; unit?: string }
  /** An expression: closed-form ones carry their value (evaluated with mathjs), symbolic ones do not. */
  | { form: 'expression'; expression: string; value?: number }
  /** The answer says the quantity does not exist ("undefined", "no solution", "does not exist"). */
  | { form: 'nonexistent'; phrase: string }
  | { form: 'text' };

const NONEXISTENT =
  /\b(?:undefined|does not exist|doesn't exist|no solution|no real solution|not defined|diverges|infinite|infinity)\b|\bDNE\b|∞|\\infty/i;
// A unit after a number: words, slashes and powers ("m/s^2", "kg m^2", "Hz", "dollars"), no operators.
const UNIT = /^(?:[a-zA-Zµμ°Ω€$£¥-]+(?:\^?-?\d+)?(?:\s*[/·]\s*|\s+)?){1,5}$/;
const MAX_EXPRESSION = 120;

/** Reads an answer phrase as a number, an expression, a claim that no value exists, or text. */
export function readAnswerValue(phrase: string): AnswerValue {
  const cleaned = stripMathMarkup(unwrapBoxed(phrase))
    // "1.176 (in 10^5 Pa)": the note after the value, set off by a space ("10^(-36)", "\\tan(\\pi/4)" are not notes).
    .replace(/\s+\([^()]*\)\s*\.?$/, '')
    .split(/\s+or\s+/)
    .at(-1) as string;
  // "The magnification is -3", "x = 4": the value is after the last marker.
  const marker = Math.max(cleaned.lastIndexOf('='), cleaned.lastIndexOf('≈'), cleaned.search(/\bis\b(?!.*\bis\b)/) + 1);
  const text = (marker > 0 ? cleaned.slice(marker).replace(/^s\b/, '') : cleaned)
    .replace(/^\s*\(?[a-d]\)\s+/, '') // "(c) 67 workers": the option label before the value
    .replace(/\\(?:dfrac|tfrac)/g, '\\frac')
    .replace(/^\s*(?:approximately|about|around|roughly|at (?:least|most)|≈|~|≥|≤)\s*/i, '')
    .replace(/\^\((-?\d+)\)/g, '^$1') // "10^(-36)" as "10^-36"
    .trim()
    .replace(/[.,;]$/, '')
    .trim();
  if (NONEXISTENT.test(text) && !/\d/.test(text.replace(/\^-?\d+/g, ''))) return { form: 'nonexistent', phrase: text };
  if (/^\[.*\]$|^\(.*,.*\)$/.test(text)) return { form: 'text' }; // a list or a tuple is its own answer form
  // A multiple of π ("50π", "2\\pi rad/s") is a value written with a constant.
  // The unit starts with a letter: "π/4" and "2π^2" are formulas.
  const pi = /^([-−]?\d*\.?\d+)?\s*(?:\\pi|π)\s*(?:[a-zA-Z][a-zA-Z/^\d]{0,7})?$/.exec(text);
  if (pi) {
    const factor = pi[1] ? Number(pi[1].replace('−', '-')) : 1;
    return { form: 'number', number: { value: factor * Math.PI, decimals: 0, raw: pi[0] }, percent: false };
  }
  // Prose ("roughly 10 bits are required on the average"): a sentence stating one number states that number.
  // Stryker disable next-line ArrayDeclaration: with no word matched, any one-element list stays below the three words of a sentence
  const words = (text.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !KNOWN_NAMES.has(w));
  if (words.length >= 3) {
    // Stryker disable next-line ArrayDeclaration: with no digit in the text, firstNumber finds nothing whatever the count
    const numbers = text.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
    const only = numbers.length === 1 ? firstNumber(text) : undefined;
    return only ? { form: 'number', number: only, percent: false } : { form: 'text' };
  }
  const number = signedFraction(text) ?? firstNumber(text);
  // "\frac{x^2+1}{2x}" holds variables: a formula, not the number its digits suggest.
  if (number && !/\\frac\{[^{}]*[a-zA-Z]/.test(number.raw.replace(/\\pi/g, ''))) {
    const at = text.indexOf(number.raw);
    const before = text.slice(0, at).trim();
    const rest = text.slice(at + number.raw.length).trim();
    if (/^[$¥€£]?$/.test(before)) {
      if (rest.startsWith('%') && (rest.slice(1).trim() === '' || UNIT.test(rest.slice(1).trim()))) {
        return { form: 'number', number, percent: true };
      }
      if (UNIT.test(rest)) return { form: 'number', number, percent: false, unit: rest };
      // What follows is a note (", approximately", "per year on average"), not more of a formula.
      if (!CONTINUES_FORMULA.test(rest)) return { form: 'number', number, percent: false };
    }
  }
  if (!/\d|\\pi|π/.test(text)) return { form: 'text' };
  if (LOOKS_LIKE_MATH.test(text)) return { form: 'expression', expression: text, value: closedFormValue(text) };
  // Stryker disable next-line ArrayDeclaration: only text with a digit gets here (π alone is caught as math above), so the match is never null
  const numbers = text.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
  return numbers.length === 1 && number ? { form: 'number', number, percent: false } : { form: 'text' };
}

// After a number, these continue a formula: an operator, a bracket, a power, a LaTeX operator.
const CONTINUES_FORMULA = /^(?:[-+*/^×÷·!(=]|\\(?:times|cdot|frac|sqrt|pi)|π|x\s*\d|[a-zA-Z]+\s*[(^{])/;
// Operators or functions between operands: what makes a phrase an expression rather than a number in words.
const LOOKS_LIKE_MATH =
  /\d\s*[-+*/^×÷!]|[-+*/^×÷]\s*[\d(a-zA-Z\\]|\\(?:frac|sqrt|pi|ln|log|sin|cos|tan)|π|\b(?:sqrt|ln|log|exp|sin|cos|tan)\s*\(/;

/** The value of an expression without free variables, or undefined. */
export function closedFormValue(expression: string): number | undefined {
  if (expression.length > MAX_EXPRESSION) return undefined;
  const source = latexToMath(expression);
  // Letters other than known functions and constants are free variables (or words): no closed form.
  const names = source.match(/[A-Za-z_]+/g) ?? [];
  if (names.some((n) => !KNOWN_NAMES.has(n))) return undefined;
  try {
    const value = evaluateClosedForm(source);
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const KNOWN_NAMES = new Set(['sqrt', 'ln', 'log', 'log10', 'exp', 'sin', 'cos', 'tan', 'pi', 'e', 'factorial', 'abs']);

function latexToMath(text: string): string {
  let out = text
    .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '(($1)/($2))')
    .replace(/\\sqrt\{([^{}]*)\}/g, 'sqrt($1)')
    .replace(/\\(?:times|cdot)|×|·/g, '*')
    .replace(/\\pi|π/g, 'pi')
    .replace(/\\(ln|log|sin|cos|tan|exp)\b/g, '$1')
    .replace(/\^\{([^{}]*)\}/g, '^($1)')
    .replace(/−/g, '-')
    .replace(/(\d),(\d{3})/g, '$1$2');
  // "ln" is mathjs "log"; "2pi" needs its multiplication written out.
  out = out.replace(/\bln\(/g, 'log(').replace(/(\d)\s*(pi|sqrt|\()/g, '$1*$2');
  // Stryker disable next-line MethodExpression: mathjs skips whitespace around an expression
  return out.replace(/ways|units?/gi, '').trim();
}

/** "\\boxed{\\frac{3}{8}}" → "\\frac{3}{8}": the box around a value, with its braces balanced. */
function unwrapBoxed(text: string): string {
  const start = text.indexOf('\\boxed{');
  if (start < 0) return text;
  let depth = 0;
  // Stryker disable next-line EqualityOperator: at i = text.length, text[i] is undefined and neither branch runs
  for (let i = start + 6; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return unwrapBoxed(`${text.slice(0, start)}${text.slice(start + 7, i)}${text.slice(i + 1)}`);
  }
  return text;
}

/** "-\frac{35}{16}": the sign outside the fraction belongs to it. */
function signedFraction(text: string): ParsedNumber | undefined {
  const match = /^[-−]\s*(\\frac\{[^{}]+\}\{[^{}]+\})/.exec(text);
  const inner = match ? firstNumber(match[1]) : undefined;
  return match && inner ? { ...inner, value: -inner.value, raw: match[0] } : undefined;
}
