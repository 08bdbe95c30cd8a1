import { describe, expect, it } from 'vitest';
import { JudgeCallError } from './judge.js';
import { SpendingBudget } from './spending-budget.js';

describe('SpendingBudget', () => {
  // $1 per million tokens in and out: a 4,000-character prompt with the assumed 400-token answer costs $0.0014.
  const price = { input: 1, output: 1 };

  it('refuses a call whose estimate, with the spending and the calls in flight, would pass the limit', () => {
    let spent = 0;
    const budget = new SpendingBudget(0.003, price, () => spent);
    const first = budget.reserve('error_analysis', 4000);
    expect(first).toBeCloseTo(0.0014, 10);
    budget.reserve('error_analysis', 4000);
    expect(() => budget.reserve('error_analysis', 4000)).toThrow(JudgeCallError);
    expect(() => budget.reserve('error_analysis', 4000)).toThrow(/budget of \$0.003/);
    expect(budget.refused).toBe(2);
    // The first call is answered: its reservation becomes spending.
    budget.release(first);
    spent = 0.0014;
    expect(() => budget.reserve('error_analysis', 4000)).toThrow(JudgeCallError);
  });

  it('counts what was paid before this run, and sends again when the limit is raised', () => {
    const spent = 0.01;
    expect(() => new SpendingBudget(0.01, price, () => spent).reserve('error_analysis', 400)).toThrow(JudgeCallError);
    expect(new SpendingBudget(0.02, price, () => spent).reserve('error_analysis', 400)).toBeGreaterThan(0);
  });
});
