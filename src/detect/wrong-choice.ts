import { optionText } from './choice-options.js';
import { defineDetector, resolveAnswer } from './detector-definition.js';

export const wrongChoice = defineDetector(
  {
    name: 'wrong_choice',
    family: 'Wrong choice',
    title: 'Picked a wrong option',
    description: 'A multiple-choice answer names an option other than the reference; both options are quoted.',
    mechanical: false,
  },
  (ctx) => {
    const { format, answer, referenceLetter, options } = resolveAnswer(ctx);
    if (format.kind !== 'choice' || !answer || !referenceLetter || answer.text === referenceLetter) return null;
    const chosen = optionText(options, answer.text);
    const correct = optionText(options, referenceLetter);
    const show = (letter: string, text: string | undefined) => (text ? `(${letter}) ${text}` : `(${letter})`);
    return {
      summary: `Chose ${show(answer.text, chosen)} instead of ${show(referenceLetter, correct)}.`,
      evidence: `Output: "${answer.quote}". Chosen: ${show(answer.text, chosen)}. Correct: ${show(referenceLetter, correct)}.`,
      confidence: 0.5,
    };
  },
);
