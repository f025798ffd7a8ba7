import { describe, expect, it } from 'vitest';
import { HybridClock, parseHlc } from '../../shared/hlc';

describe('hybrid logical clock', () => {
  it('orders stamps even when the wall clock stalls or jumps backwards', () => {
    let wall = 1_000;
    const clock = new HybridClock('dev-a', () => wall);
    const a = clock.tick();
    const b = clock.tick();
    wall = 500; // the PC's clock was corrected backwards
    const c = clock.tick();
    wall = 2_000;
    const d = clock.tick();
    expect([a, b, c, d]).toEqual([...[a, b, c, d]].sort());
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(parseHlc(d)).toEqual({ wallMs: 2_000, counter: 0, deviceId: 'dev-a' });
  });

  it('orders local events after a remote stamp from a clock that runs ahead', () => {
    const remote = new HybridClock('dev-b', () => 10_000).tick();
    const local = new HybridClock('dev-a', () => 1_000);
    local.receive(remote);
    expect(local.tick() > remote).toBe(true);
  });

  it('resumes after the last stamp it wrote', () => {
    const before = new HybridClock('dev-a', () => 5_000).tick();
    const restarted = new HybridClock('dev-a', () => 4_000, before);
    expect(restarted.tick() > before).toBe(true);
  });
});
