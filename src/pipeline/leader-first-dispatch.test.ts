import { describe, expect, it } from 'vitest';
import { LeaderFirstDispatch } from './leader-first-dispatch.js';

const exampleOf = (item: string) => item[0];

function dispatchOf(items: string[], maxDeferred = 10) {
  let pulled = 0;
  const iterator = (function* () {
    for (const item of items) {
      pulled += 1;
      yield item;
    }
  })();
  return { dispatch: new LeaderFirstDispatch(iterator, exampleOf, maxDeferred), pulled: () => pulled };
}

describe('LeaderFirstDispatch', () => {
  it("sends each example's first failure alone and its others only once it is answered", async () => {
    const { dispatch } = dispatchOf(['a1', 'a2', 'a3', 'b1', 'c1', 'c2']);
    const first = await dispatch.next();
    const second = await dispatch.next();
    const third = await dispatch.next();
    expect([first?.item, second?.item, third?.item]).toEqual(['a1', 'b1', 'c1']);

    // Every example has its first failure in flight: the next worker waits for an answer.
    let fourth: string | undefined;
    const waiting = dispatch.next().then((n) => {
      fourth = n?.item;
      return n;
    });
    await Promise.resolve();
    expect(fourth).toBeUndefined();

    third?.finished();
    const c2 = await waiting;
    expect(c2?.item).toBe('c2');
    first?.finished();
    expect((await dispatch.next())?.item).toBe('a2');
    expect((await dispatch.next())?.item).toBe('a3');
    second?.finished();
    c2?.finished();
    expect(await dispatch.next()).toBeUndefined();
  });

  it('hands every item out exactly once to a pool of workers, whatever order the answers come in', async () => {
    const items = ['a1', 'a2', 'b1', 'c1', 'c2', 'c3', 'd1', 'e1', 'e2'];
    const { dispatch } = dispatchOf(items, 3);
    const handed: string[] = [];
    const inFlightExamples = new Set<string>();
    const worker = async (delay: number) => {
      for (let next = await dispatch.next(); next; next = await dispatch.next()) {
        handed.push(next.item);
        inFlightExamples.add(exampleOf(next.item));
        await new Promise((resolve) => setTimeout(resolve, delay));
        next.finished();
      }
    };
    await Promise.all([worker(3), worker(1), worker(2)]);
    expect([...handed].sort()).toEqual([...items].sort());
    // An example's first failure always goes before its others.
    for (const example of 'ace') expect(handed.indexOf(`${example}1`)).toBeLessThan(handed.indexOf(`${example}2`));
  });

  it('reads no further ahead than the deferred limit while first answers are pending', async () => {
    const { dispatch, pulled } = dispatchOf(['a1', 'a2', 'a3', 'a4', 'b1'], 2);
    const a1 = await dispatch.next();
    const waiting = dispatch.next();
    await Promise.resolve();
    // a2 and a3 wait for a1; a4 and b1 are not planned yet.
    expect(pulled()).toBe(3);
    a1?.finished();
    expect((await waiting)?.item).toBe('a2');
  });
});
