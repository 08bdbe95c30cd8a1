// The repetition-loop detector rule by rule: each rule's threshold is tested on both sides, and each finding's
// summary and evidence are asserted in full, since they are what a user reads.
import { describe, expect, it } from 'vitest';
import { context, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { periodicRun, repetitionLoop } from './repetition-loop.js';

const loopIn = (outputText: string, inputText = 'Answer the question.') => {
  const finding = repetitionLoop.detect(context({ inputText, outputText }));
  return finding && { summary: finding.summary, evidence: finding.evidence };
};
const numbered = (lines: string[]) => lines.map((l, i) => `${i + 1}. ${l}`).join('\n');

describe('a character sequence repeated in a row', () => {
  it('quotes the repeated stretch itself when it is short', () => {
    expect(loopIn(`Therefore, the answer is 0.${'3'.repeat(70)}`)).toEqual({
      summary: 'The same 1-character sequence repeats 70 times in a row.',
      evidence: `"${'3'.repeat(70)}…"`,
    });
  });

  it('quotes at most 160 characters of a long stretch, from where it starts', () => {
    expect(loopIn(`The sequence continues: ${'1, 0, '.repeat(40)}`)).toEqual({
      summary: 'The same 6-character sequence repeats 40 times in a row.',
      evidence: `"${' 1, 0,'.repeat(27).slice(0, 160)}…"`,
    });
  });

  it('says nothing about an output of only whitespace, which is empty, not a loop', () => {
    expect(loopIn(' '.repeat(100))).toBeNull();
    expect(loopIn('\n'.repeat(80))).toBeNull();
  });
});

describe('the same line repeated', () => {
  const line = 'We can simplify the equation by dividing both sides by 2.';

  it('flags a line that appears five times, not one that appears four times', () => {
    expect(loopIn(['Let x be the unknown.', ...Array(5).fill(line), 'So x = 4.'].join('\n'))).toEqual({
      summary: 'The same line appears 5 times.',
      evidence: `Repeated 5×: "${line}"`,
    });
    expect(loopIn(['Let x be the unknown.', ...Array(4).fill(line), 'So x = 4.'].join('\n'))).toBeNull();
  });

  it('counts a line of exactly 15 characters, not one of 14', () => {
    expect(loopIn(Array(6).fill('Recheck step 2.').join('\n'))).toEqual({
      summary: 'The same line appears 6 times.',
      evidence: 'Repeated 6×: "Recheck step 2."',
    });
    expect(loopIn(Array(6).fill('Recheck step 2').join('\n'))).toBeNull();
  });

  it.each([
    ['numbered "1."', (i: number) => `${i + 1}. ${line}`, line],
    ['numbered "10)"', (i: number) => `${i + 10}) ${line}`, line],
    ['bulleted and indented', () => `   - ${line}`, line],
    ['bulleted with two spaces', () => `*  ${line}`, line],
    ['as "Step 12:"', (i: number) => `Step ${i + 12}: ${line}`, line],
    ['as "Day 3."', (i: number) => `Day ${i + 3}. ${line}`, line],
    ['with a hyphen inside the line', () => 'Re-check the well-known result once more.', 'Re-check the well-known result once more.'],
  ])('reads a line %s without its list marker or step number', (_, at, shown) => {
    const text = Array.from({ length: 6 }, (_, i) => at(i)).join('\n');
    expect(loopIn(text)).toEqual({ summary: 'The same line appears 6 times.', evidence: `Repeated 6×: "${shown}"` });
  });

  it('quotes at most 200 characters of a long repeated line', () => {
    const long = `The tension in the rope equals the weight of the block plus the force needed to accelerate it, ${'and we must account for the pulley as well, '.repeat(3)}so T = m(g + a).`;
    expect(long.length).toBeGreaterThan(200);
    expect(loopIn(Array(5).fill(long).join('\n'))).toEqual({
      summary: 'The same line appears 5 times.',
      evidence: `Repeated 5×: "${long.slice(0, 200)}"`,
    });
  });

  it('names the line repeated most often, and the first of two repeated as often', () => {
    const first = 'Check the units of the final answer.';
    const second = 'Recompute the acceleration from the forces.';
    const mostly = [first, second, second, first, second, first, second, first, second, first, second].join('\n');
    expect(loopIn(mostly)?.summary).toBe('The same line appears 6 times.');
    expect(loopIn(mostly)?.evidence).toBe(`Repeated 6×: "${second}"`);
    const tied = [first, second, first, second, first, second, first, second, first, second].join('\n');
    expect(loopIn(tied)?.evidence).toBe(`Repeated 5×: "${first}"`);
  });

  it('skips lines of code punctuation, but not wording that starts or ends with a bracket', () => {
    expect(loopIn(Array(6).fill('}}}}}}}}}}}}}}}}').join('\n'))).toBeNull();
    expect(loopIn(Array(6).fill('(b) The mitochondria is the powerhouse').join('\n'))?.evidence).toBe(
      'Repeated 6×: "(b) The mitochondria is the powerhouse"',
    );
    expect(loopIn(Array(6).fill('Take the derivative of f(x)').join('\n'))?.evidence).toBe('Repeated 6×: "Take the derivative of f(x)"');
  });

  it('does not count lines inside code blocks, closed or left open', () => {
    const code = Array(6).fill('    print("Processing item number", i)').join('\n');
    expect(loopIn(`Here is the loop:\n\`\`\`python\nfor i in range(10):\n${code}\n\`\`\`\nIt prints each item.`)).toBeNull();
    expect(loopIn(`Here is the loop:\n\`\`\`python\nfor i in range(10):\n${code}\n`)).toBeNull();
  });

  it('reads the text after an inline code block as a line of its own', () => {
    const text = Array(5).fill('Call ```print(total)``` to see the running total again.').join('\n');
    expect(loopIn(text)).toEqual({ summary: 'The same line appears 5 times.', evidence: 'Repeated 5×: "to see the running total again."' });
  });

  it('leaves a refrain alone when the prompt asks for a song or a poem', () => {
    const refrain = Array(6).fill('And the river keeps on rolling home').join('\n');
    expect(loopIn(refrain, 'Write a song about a river.')).toBeNull();
    expect(loopIn(refrain, 'Write a short story about a river.')?.summary).toBe('The same line appears 6 times.');
  });
});

describe('lines restated later in a list', () => {
  const birds = [
    'Northern cardinal',
    'American robin',
    'Blue jay',
    'Mourning dove',
    'Red-winged blackbird',
    'House finch',
    'Black-capped chickadee',
    'Downy woodpecker',
    'Song sparrow',
    'European starling',
  ];
  const ten = birds.map((b) => `${b} is a common backyard bird in North America.`);
  const example = 'For example, "Northern cardinal is a common backyard bird in North America."';

  it('flags ten lines restated when they make half of the lines, quoting the first one restated', () => {
    expect(loopIn(numbered([...ten, ...ten]))).toEqual({
      summary: '10 of 20 lines restate an earlier line word for word.',
      evidence: example,
    });
  });

  it('needs ten restated lines and half of all lines', () => {
    expect(loopIn(numbered([...ten, ...ten.slice(0, 9)]))).toBeNull();
    expect(loopIn(numbered([...ten, ...ten, 'Most of them visit feeders in winter.']))).toBeNull();
  });

  it('quotes at most 200 characters of the restated line', () => {
    const long = birds.map(
      (b) =>
        `${b} is a common backyard bird in North America, seen at feeders from late autumn until spring, when it moves on to nest in hedges, woodland edges and the older trees of quiet suburban gardens and parks.`,
    );
    expect(long[0].length).toBeGreaterThan(200);
    expect(loopIn(numbered([...long, ...long]))).toEqual({
      summary: '10 of 20 lines restate an earlier line word for word.',
      evidence: `For example, "${long[0].slice(0, 200)}"`,
    });
  });

  it('leaves restated lines alone when the prompt asks for a poem', () => {
    expect(loopIn(numbered([...ten, ...ten]), 'Write a poem that names 20 birds.')).toBeNull();
  });

  // Nine restated wording lines, and a tenth line (restated too) that counts only when it is wording.
  const withTenth = (tenth: string) => {
    const lines = [...ten.slice(0, 9), tenth];
    return numbered([...lines, ...lines]);
  };
  it.each([
    ['ten letters in words of two or more', 'x = ab + cd + ef + gh + ij', true],
    ['nine letters', 'x = ab + cd + ef + gh + i', false],
    ['ten single letters', 'a = b + c + d + e + f + g + h + i + j + k', false],
    ['a formula with two unit words', 'F = 12 * 3.5 = 42 kg m/s', false],
    ['a formula with no words', '(2 + 3) * 4 = 20, 20 / 5 = 4', false],
    ['a wording line of 15 characters', 'Cedar waxwing!!', true],
    ['a wording line of 14 characters', 'Cedar waxwing!', false],
  ])('counts a restated line only when it is wording of 15+ characters: %s', (_, tenth, counted) => {
    expect(loopIn(withTenth(tenth))).toEqual(
      counted ? { summary: '10 of 20 lines restate an earlier line word for word.', evidence: example } : null,
    );
  });
});

describe('lines built from one template', () => {
  // Twelve parts of the music business a streaming essay might cycle through.
  const causes =
    'ticketing publishing airplay vinyl sponsorship management songwriting mixing booking distribution promotion licensing'.split(' ');
  const short = causes.map((c) => `Streaming has changed ${c}.`);

  it('flags twelve short lines that share their first three words', () => {
    expect(loopIn(['Key effects:', 'Here are twelve:', ...short].join('\n'))).toEqual({
      summary: '12 of 12 lines or sentences follow one template, changing only a word or a number.',
      evidence: '12× "streaming has changed …", e.g. "Streaming has changed ticketing."',
    });
    expect(loopIn(short.slice(0, 11).join('\n'))).toBeNull();
  });

  it('needs the template in 60% of the lines for a three-word prefix', () => {
    const others = [
      'Artists now earn fractions of a cent.',
      'Labels sign fewer new acts each year.',
      'Concert tickets cost more than ever.',
      'Vinyl sales keep growing again.',
      'Radio still matters for older listeners.',
      'Playlists decide which songs break through.',
      'Independent musicians release music directly.',
      'Fans discover bands through short videos.',
      'Producers mix tracks for phone speakers.',
    ];
    expect(loopIn([...short, ...others.slice(0, 8)].join('\n'))?.summary).toBe(
      '12 of 20 lines or sentences follow one template, changing only a word or a number.',
    );
    expect(loopIn([...short, ...others].join('\n'))).toBeNull();
  });

  it('leaves a template alone when the prompt asks for a song', () => {
    expect(loopIn(short.join('\n'), 'Write a rap verse about streaming.')).toBeNull();
  });

  it('reads numbers in the prefix as one placeholder, decimals included', () => {
    const times = ['0.5', '1', '1.5', '2', '2.25', '3', '3.75', '4', '10', '12.5', '15', '20'];
    const falls = times.map((t) => `After ${t} seconds, ${(4.9 * Number(t) ** 2).toFixed(2)} m.`);
    expect(loopIn(falls.join('\n'))).toEqual({
      summary: '12 of 12 lines or sentences follow one template, changing only a word or a number.',
      evidence: '12× "after # seconds, …", e.g. "After 0.5 seconds, 1.23 m."',
    });
  });

  it('splits lines into sentences for the six-word template', () => {
    const parts = [
      'album sales',
      'radio play',
      'concert revenue',
      'merchandise income',
      'publishing deals',
      'label budgets',
      'chart positions',
    ];
    const pairs = (gap: string) =>
      Array.from({ length: 7 }, (_, i) => {
        const [a, b] = [parts[i], parts[(i + 3) % 7]];
        return `Streaming platforms have reduced the industry's ${a} sharply.${gap}Streaming platforms have reduced the industry's ${b} too.`;
      }).join('\n');
    const expected = {
      summary: '14 of 14 lines or sentences follow one template, changing only a word or a number.',
      evidence: `14× "streaming platforms have reduced the industry's …", e.g. "Streaming platforms have reduced the industry's album sales sharply."`,
    };
    expect(loopIn(pairs(' '))).toEqual(expected);
    expect(loopIn(pairs('  '))).toEqual(expected);
  });

  it('does not split a sentence at a capitalised name', () => {
    const names = ['Adele', 'Drake', 'Beyonce', 'Rihanna', 'Coldplay', 'Eminem', 'Shakira', 'Madonna', 'Prince', 'Queen', 'Oasis', 'Blur'];
    const lines = names.map((n, i) => `In ${2000 + i} the charts were led by ${n} and Friends for weeks.`);
    expect(loopIn(lines.join('\n'))).toEqual({
      summary: '12 of 12 lines or sentences follow one template, changing only a word or a number.',
      evidence: '12× "in # the charts were led …", e.g. "In 2000 the charts were led by Adele and Friends for weeks."',
    });
  });

  it('prefers the larger of two templates, and the first of two as large', () => {
    const a = causes.map((c) => `The main reason for the decline is ${c} today.`);
    const b = causes.map((c) => `Another factor behind the shift was ${c} last year.`);
    const interleaved = (x: string[], y: string[]) => x.flatMap((line, i) => [line, y[i]]).join('\n');
    expect(loopIn(interleaved(a, b))?.evidence).toBe(
      '12× "the main reason for the decline …", e.g. "The main reason for the decline is ticketing today."',
    );
    expect(loopIn(interleaved(b.slice(0, 3), a) + '\n' + b.slice(3).join('\n'))?.evidence).toBe(
      '12× "another factor behind the shift was …", e.g. "Another factor behind the shift was ticketing last year."',
    );
    expect(loopIn([...b.slice(0, 3), ...a].join('\n'))?.evidence).toBe(
      '12× "the main reason for the decline …", e.g. "The main reason for the decline is ticketing today."',
    );
  });

  it('quotes at most 200 characters of the example', () => {
    const lines = causes.map(
      (c) =>
        `The committee then reviewed ${c} in detail, weighing every argument that had been raised by members, consultants and the public over the previous several months of hearings, and concluded that nothing should change yet.`,
    );
    expect(loopIn(lines.join('\n'))?.evidence).toBe(`12× "the committee then …", e.g. "${lines[0].slice(0, 200)}"`);
  });

  it('ignores a prefix with fewer than two words, such as a recursion written out', () => {
    const recursion = Array.from({ length: 14 }, (_, i) => `T(${i + 2}) = 2 * T(${i + 1}) + ${i + 1} so far`).join('\n');
    expect(loopIn(recursion)).toBeNull();
  });
});

describe('phrases repeated across the output', () => {
  // Ten words, more than 40 characters: no shorter unit repeats, and there are no line breaks or sentences.
  const cycle = 'we add the next term to the running total and';
  const words = (n: number, unit = cycle) => {
    const all = unit.split(' ');
    return Array.from({ length: n }, (_, i) => all[i % all.length]).join(' ');
  };

  it('flags eighty words that are one phrase over and over', () => {
    expect(loopIn(words(80))).toEqual({
      summary: '100% of the output is phrases it repeats; "we add the next term to the running" alone occurs 8 times.',
      evidence: 'Repeated 8×: "we add the next term to the running"',
    });
  });

  it('needs eighty words, counting none for leading or trailing space', () => {
    expect(loopIn(` ${words(79)}\n`)).toBeNull();
  });

  it('needs the phrase eight times', () => {
    const eleven = 'we add the next term to the running total and then';
    expect(loopIn(words(80, eleven))).toBeNull();
  });

  it('needs three quarters of the words inside repeated phrases', () => {
    const unique = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    const eight = 'so we divide the whole result by two';
    expect(loopIn(`${words(75, eight)} ${unique(25)}`)?.summary).toBe(
      '75% of the output is phrases it repeats; "so we divide the whole result by two" alone occurs 9 times.',
    );
    expect(loopIn(`${words(74, eight)} ${unique(26)}`)).toBeNull();
  });

  it('counts phrases that occur three times towards the share, not those that occur twice', () => {
    const thrice = 'then check the sign of the result again';
    const twice = 'now compare it with the value we found';
    expect(loopIn(`${words(80)} ${thrice} ${thrice} ${thrice} ${twice} ${twice}`)?.summary).toBe(
      '87% of the output is phrases it repeats; "we add the next term to the running" alone occurs 8 times.',
    );
  });

  it('names the phrase repeated most often, not the first one repeated', () => {
    const thrice = 'then check the sign of the result again';
    expect(loopIn(`${thrice} ${thrice} ${thrice} ${words(80)}`)?.summary).toBe(
      '100% of the output is phrases it repeats; "we add the next term to the running" alone occurs 8 times.',
    );
  });

  it('counts two different phrases apart, even when the first half of their 53-bit keys is equal', () => {
    // The sixteen words of the first sentence get the ids 0-15; the two 8-word phrases below, as ids
    // [12,2,6,1,10,9,4,1] and [7,6,5,6,7,2,5,1], share the high 32 bits of their shingle key.
    const vocabulary = 'to solve this we first write down every term then sum them and check our result';
    const a = 'and this down solve sum then first solve';
    const b = 'every down write down every this write solve';
    const text = `${vocabulary} ${Array(4).fill(a).join(' ')} ${Array(4).fill(b).join(' ')}`;
    expect(text.split(' ')).toHaveLength(80);
    expect(loopIn(text)).toBeNull();
  });

  it('reads words case-insensitively and quotes them in lower case', () => {
    const mixed = words(80).replace(/\bwe\b/, 'We');
    expect(loopIn(mixed)?.evidence).toBe('Repeated 8×: "we add the next term to the running"');
  });
});

describe('periodicRun', () => {
  it.each([
    ['a 40-character unit, 15 times', 'abcdefghijklmnopqrstuvwxyz0123456789ABCD'.repeat(15), { start: 0, period: 40, repeats: 15 }],
    ['a 4-character unit, 15 times (60 characters)', 'x = '.repeat(15), { start: 0, period: 4, repeats: 15 }],
    ['one character, 80 times', '='.repeat(80), { start: 0, period: 1, repeats: 80 }],
    ['a loop after prose', `So the value is ${'ab'.repeat(40)}`, { start: 16, period: 2, repeats: 40 }],
  ])('finds %s', (_, text, run) => {
    expect(periodicRun(text)).toEqual(run);
  });

  it.each([
    ['a 41-character unit', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDE'.repeat(15)],
    ['14 repeats', 'x = '.repeat(14) + 'x = '.slice(0, 3)],
    ['59 characters in all', 'x = '.repeat(14) + 'x = '.slice(0, 3)],
    ['a ten-character unit ten times', 'the sum = '.repeat(10)],
    ['59 equal characters after 30 of prose', `${'The final result is shown here'}${'='.repeat(59)}`],
  ])('does not count %s as a loop', (_, text) => {
    expect(periodicRun(text)).toBeUndefined();
  });

  it('prefers a longer unit that starts earlier to a shorter one that starts later', () => {
    const unit = 'the answer is 4, ';
    expect(periodicRun(`${unit.repeat(15)}${'!'.repeat(80)}`)).toEqual({ start: 0, period: unit.length, repeats: 15 });
  });

  it('reports where the run starts and how often it repeats when sampled in its middle', () => {
    const text = `${'Let me reconsider. '.repeat(2)}${'1+'.repeat(50)}1`;
    expect(periodicRun(text)).toEqual({ start: 38, period: 2, repeats: 50 });
  });

  it('finds a numeric loop in a TheoremQA answer through the detector', () => {
    const finding = repetitionLoop.detect(context({ inputText: THEOREM_INPUT, outputText: `v = 0.${'142857'.repeat(20)}` }));
    expect(finding?.summary).toBe('The same 6-character sequence repeats 20 times in a row.');
  });
});
