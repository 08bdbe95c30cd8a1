/** A number read from model or reference text, with the decimals it was written with (for rounding checks). */
export interface ParsedNumber {
  value: number;
  /** Digits after the decimal point as written; 0 for integers and fractions. */
  decimals: number;
  /** The text the number was read from. */
  raw: string;
}

// A plain decimal (thousands commas allowed), optionally with an exponent written as e-notation or "× 10^n".
const NUMBER_SOURCE = String.raw`[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:\s*(?:[eE][-+]?\d+|(?:\\times|\\cdot|×|\*|x)\s*10\s*\^\s*\{?\s*[-−+]?\d+\s*\}?))?`;
const FRACTION = /^\\d?frac\{([^{}]+)\}\{([^{}]+)\}/;

/** Removes LaTeX wrappers that hide a number: $...$, \boxed{...}, \text{...}, \left/\right. */
export function stripMathMarkup(text: string): string {
  return text
    .replace(/\\(?:boxed|text|mathrm|textbf|mathbf)\{([^{}]*)\}/g, '$1')
    .replace(/\\[,;!]/g, '')
    .replace(/\\left|\\right/g, '')
    .replace(/\$|`|\\[()[\]]/g, '')
    .replace(/\\%/g, '%');
}

/** The first number in the text: LaTeX fraction, a/b fraction, decimal, scientific notation or percentage. */
export function firstNumber(text: string): ParsedNumber | undefined {
  const cleaned = stripMathMarkup(text);
  const pattern = new RegExp(String.raw`\\d?frac\{[^{}]+\}\{[^{}]+\}|${NUMBER_SOURCE}`, 'g');
  for (const match of cleaned.matchAll(pattern)) {
    const raw = match[0];
    if (!/\d/.test(raw)) continue;
    const parsed = parseNumberToken(raw, cleaned.slice((match.index ?? 0) + raw.length));
    if (parsed) return parsed;
  }
  return undefined;
}

/** Reads a whole reference answer as a number ("-0.375", "1.2e-3", "3/8"); undefined when it is not only a number. */
export function parseWholeNumber(text: string): ParsedNumber | undefined {
  const trimmed = stripMathMarkup(text).trim().replace(/\.$/, '');
  if (!new RegExp(String.raw`^(?:${NUMBER_SOURCE}(?:\s*/\s*\d+)?|\\d?frac\{[^{}]+\}\{[^{}]+\})\s*%?$`).test(trimmed)) return undefined;
  if (!/\d/.test(trimmed)) return undefined;
  // A percent sign is kept as written ("60%" reads as 60): references state numbers without symbols.
  const body = trimmed.replace(/\s*%$/, '');
  // "3/8": the denominator is read after the numerator, as in running text.
  const fraction = /^([-−+]?[\d.,]+)(\s*\/\s*\d+)$/.exec(body);
  // Stryker disable next-line StringLiteral: the text after a number is read only for a leading '/', which the replacement lacks as '' does
  return fraction ? parseNumberToken(fraction[1], fraction[2]) : parseNumberToken(body, '');
}

function parseNumberToken(raw: string, after: string): ParsedNumber | undefined {
  const fraction = FRACTION.exec(raw);
  if (fraction) {
    const n = piOrNumber(fraction[1]);
    const d = piOrNumber(fraction[2]);
    if (!n || !d || d.value === 0) return undefined;
    return { value: n.value / d.value, decimals: 0, raw };
  }
  const normalized = raw.replace(/−/g, '-').replace(/,/g, '').replace(/\s+/g, '');
  const power = /^([-+]?[\d.]*)(?:\\times|\\cdot|×|\*|x)10\^\{?([-+]?\d+)\}?$/.exec(normalized);
  let value: number;
  let mantissa = normalized;
  if (power) {
    mantissa = power[1] === '' || power[1] === '-' || power[1] === '+' ? `${power[1]}1` : power[1];
    value = Number(mantissa) * 10 ** Number(power[2]);
  } else {
    value = Number(normalized);
  }
  if (!Number.isFinite(value)) return undefined;
  // "3/8" written as a plain fraction right after the token.
  const slash = /^\s*\/\s*(\d+(?:\.\d+)?)(?![\d.]*\s*[a-zA-Z(])/.exec(after);
  if (slash && !power && Number(slash[1]) !== 0) {
    return { value: value / Number(slash[1]), decimals: 0, raw: `${raw}/${slash[1]}` };
  }
  const decimalsMatch = /\.(\d+)/.exec(mantissa);
  return { value, decimals: decimalsMatch ? decimalsMatch[1].length : 0, raw };
}

/** "\\pi" and "2\\pi" read as multiples of π inside a fraction. */
function piOrNumber(text: string): ParsedNumber | undefined {
  const pi = /^\s*(\d*(?:\.\d+)?)\s*(?:\\pi|π)\s*$/.exec(text);
  if (pi) return { value: (pi[1] === '' ? 1 : Number(pi[1])) * Math.PI, decimals: 0, raw: text };
  // "\\pi^2", "\\pi r": π in anything but a plain multiple is no number here (not the 2 of the power).
  if (/\\pi|π/.test(text)) return undefined;
  return firstNumber(text);
}

/** Relative difference, safe around zero. */
export function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}
