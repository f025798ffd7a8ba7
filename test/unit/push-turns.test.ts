import { describe, expect, it } from 'vitest';
import { GROUP_LIMIT, PushTurns, type Settled } from '../../server/push-queue';

/** A runner that records each group and holds it until released. */
function recorder() {
  const groups: string[][] = [];
  const held: (() => void)[] = [];
  const runner = (payloads: string[]) =>
    new Promise<Settled<string>[]>((resolve) => {
      groups.push(payloads);
      held.push(() => resolve(payloads.map((p) => (p.startsWith('bad') ? { ok: false, error: new Error(`refused ${p}`) } : { ok: true, value: `done ${p}` }))));
    });
  const release = async () => {
    held.shift()?.();
    await new Promise((r) => setTimeout(r, 5));
  };
  return { groups, runner, release };
}

describe('a clinic’s push turns', () => {
  it('take the oldest push of each waiting desk, desks that waited first, up to the group limit; each push gets its own answer', async () => {
    const { groups, runner, release } = recorder();
    const turns = new PushTurns<string, string>(runner);
    const answers: Promise<string>[] = [];
    const run = (device: string, payload: string, size: number) => answers.push(turns.run('clinic', device, payload, size).catch((e: Error) => e.message));
    run('A', 'A1', 10);
    // While A1 is applied: A queues two more, then B, C (nearly a full group) and D.
    run('A', 'A2', 10);
    run('A', 'A3', 10);
    run('B', 'bad B1', 1);
    run('C', 'C1', GROUP_LIMIT - 3);
    run('D', 'D1', 5);
    await release();
    // A was just served: the others first, one push each, as many as fit in GROUP_LIMIT changes.
    expect(groups[1]).toEqual(['bad B1', 'C1']);
    await release();
    // Then the desks that waited longest, A (since A2) before D; never two pushes of one desk.
    expect(groups[2]).toEqual(['A2', 'D1']);
    await release();
    expect(groups[3]).toEqual(['A3']);
    await release();
    expect(groups).toHaveLength(4);
    expect(await Promise.all(answers)).toEqual(['done A1', 'done A2', 'done A3', 'refused bad B1', 'done C1', 'done D1']);
  });

  it('run a push larger than the limit on its own, and other clinics’ pushes at the same time', async () => {
    const { groups, runner, release } = recorder();
    const turns = new PushTurns<string, string>(runner);
    const first = turns.run('one', 'A', 'big', GROUP_LIMIT);
    const other = turns.run('two', 'B', 'elsewhere', 1);
    const small = turns.run('one', 'C', 'small', 1);
    expect(groups).toEqual([['big'], ['elsewhere']]);
    await release();
    await release();
    expect(groups[2]).toEqual(['small']);
    await release();
    expect(await Promise.all([first, other, small])).toEqual(['done big', 'done elsewhere', 'done small']);
  });

  it('answer every push of a turn when the turn fails or answers too few, and go on with the next turn', async () => {
    let calls = 0;
    const turns = new PushTurns<string, string>(async (payloads) => {
      calls++;
      if (calls === 1) return [];
      if (calls === 2) throw new Error('database gone');
      return payloads.map((p) => ({ ok: true as const, value: `done ${p}` }));
    });
    const settle = (p: Promise<string>) => p.catch((e: Error) => e.message);
    // A's turn answers nothing; B's and C's, waiting together behind it, throws: each push is
    // answered all the same, and the clinic goes on with D.
    const answers = [turns.run('c', 'A', 'a', 1), turns.run('c', 'B', 'b', 1), turns.run('c', 'C', 'c', 1)].map(settle);
    expect(await Promise.all(answers)).toEqual(['no outcome for this push', 'database gone', 'database gone']);
    expect(await settle(turns.run('c', 'D', 'd', 1))).toBe('done d');
    expect(calls).toBe(3);
  });
});
