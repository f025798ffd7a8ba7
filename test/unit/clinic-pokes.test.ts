import { describe, expect, it } from 'vitest';
import { ClinicPokes } from '../../server/clinic-pokes';

const tick = () => new Promise((r) => setImmediate(r));

describe('pokes after pushes', () => {
  it('go once per clinic for the pushes applied in one tick (a turn’s group), naming every desk that pushed', async () => {
    const sent: [string, string[]][] = [];
    const pokes = new ClinicPokes((clinic, pushers) => sent.push([clinic, [...pushers].sort()]));
    // A group of clinic 1 (A and B; B named twice counts once) and a push of clinic 2.
    pokes.applied('clinic-1', 'A');
    pokes.applied('clinic-1', 'B');
    pokes.applied('clinic-2', 'X');
    pokes.applied('clinic-1', 'B');
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual([
      ['clinic-1', ['A', 'B']],
      ['clinic-2', ['X']],
    ]);
    // A later push is a new poke.
    pokes.applied('clinic-1', 'C');
    await tick();
    expect(sent.at(-1)).toEqual(['clinic-1', ['C']]);
    expect(sent).toHaveLength(3);
  });

  it('one clinic’s failing poke does not stop another’s', async () => {
    const sent: string[] = [];
    const pokes = new ClinicPokes((clinic) => {
      if (clinic === 'broken') throw new Error('socket gone');
      sent.push(clinic);
    });
    pokes.applied('broken', 'A');
    pokes.applied('fine', 'B');
    await tick();
    expect(sent).toEqual(['fine']);
    pokes.applied('fine', 'B');
    await tick();
    expect(sent).toEqual(['fine', 'fine']);
  });
});
