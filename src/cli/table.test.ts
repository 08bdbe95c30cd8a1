import { describe, expect, it } from 'vitest';
import { formatTable, interval, percent, pValue } from './table.js';

describe('formatTable', () => {
  const rows = [
    { name: 'Arithmetic', share: 0.5, n: 12 },
    { name: 'A much longer category name', share: 0.125, n: 3 },
  ];
  const columns = [
    { header: 'category', value: (r: (typeof rows)[number]) => r.name },
    { header: 'share', value: (r: (typeof rows)[number]) => percent(r.share) },
    { header: 'n', value: (r: (typeof rows)[number]) => r.n },
  ];

  it('aligns text left and figures right, without ANSI codes when colour is off', () => {
    const text = formatTable(rows, columns, { color: false });
    expect(text).toBe(
      [
        'category                     share   n',
        '---------------------------  -----  --',
        'Arithmetic                   50.0%  12',
        'A much longer category name  12.5%   3',
        '',
      ].join('\n'),
    );
    expect(text.includes('\u001b[')).toBe(false);
  });

  it('wraps a long cell at spaces instead of cutting it, keeping its indent and the other columns on its first line', () => {
    const rows = [{ t: '  Answer matches the reference but was scored wrong', n: 7 }];
    const text = formatTable(rows, [
      { header: 'category', value: (r) => r.t, maxWidth: 24 },
      { header: 'n', value: (r) => r.n },
    ]);
    expect(text).toBe(
      ['category              n', '--------------------  -', '  Answer matches the  7', '  reference but was', '  scored wrong', ''].join(
        '\n',
      ),
    );
    expect(
      formatTable([{ t: 'x'.repeat(25) }], [{ header: 't', value: (r) => r.t, maxWidth: 10 }])
        .split('\n')
        .slice(2, 5),
    ).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('figures', () => {
  it('formats shares, intervals and p-values', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(interval(0.1, 0.25, percent)).toBe('[10.0%, 25.0%]');
    expect(pValue(0.04321)).toBe('0.043');
    expect(pValue(0.00012)).toBe('1.2e-4');
    expect(pValue(1e-9)).toBe('<1e-6');
  });
});
