/**
 * Cuts a text longer than `budget` characters, keeping its head and tail (answers usually sit at the
 * end of a generation) and leaving a visible marker saying how much was cut.
 */
export function truncateMiddle(text: string, budget: number): string {
  if (budget <= 0 || text.length <= budget) return text;
  const tail = Math.floor(budget * 0.4);
  const head = budget - tail;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${cut.toLocaleString('en-US')} characters cut by errormap …]\n${text.slice(text.length - tail)}`;
}
