/** One lettered option of a multiple-choice prompt. */
export interface ChoiceOption {
  letter: string;
  text: string;
}

// "A. text", "(A) text", "A) text" at the start of a line; MMLU-Pro puts "Options: " before the first.
const OPTION_LINE = /^(?:Options:\s*)?\(?([A-Z])[.)]\s+(.*\S)\s*$/;

/** The lettered options listed in the prompt, in order; empty when fewer than three consecutive letters are found. */
export function parseOptions(input: string): ChoiceOption[] {
  const options: ChoiceOption[] = [];
  for (const line of input.split('\n')) {
    const match = OPTION_LINE.exec(line.trim());
    if (!match) continue;
    const expected = String.fromCharCode(65 + options.length);
    if (match[1] === 'A' && options.length < 3) options.length = 0;
    if (match[1] === (options.length === 0 ? 'A' : expected)) options.push({ letter: match[1], text: match[2] });
  }
  return options.length >= 3 ? options : [];
}

/** The letter a reference names: "C. option text", "(C)", "C". */
export function referenceLetter(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const match = /^\s*\(?([A-Z])\)?(?:[.):]|\s*$)/.exec(reference);
  return match ? match[1] : undefined;
}

export function optionText(options: ChoiceOption[], letter: string): string | undefined {
  return options.find((o) => o.letter === letter)?.text;
}
