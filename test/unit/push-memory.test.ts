import { describe, expect, it } from 'vitest';
import { PushMemory } from '../../server/push-memory';

const keys = (...publicKeys: string[]) => publicKeys.map((publicKey) => ({ publicKey }));

describe('what a server instance remembers between pushes', () => {
  it('hands out the keys it last read, and nothing for a signer it holds no key for', () => {
    const memory = new PushMemory<{ id: string }>();
    memory.rememberKeys('clinic', new Map([['rita', keys('old', 'new')], ['meera', keys('m1')], ['nobody', []]]));
    expect(memory.heldKeys('clinic', ['rita', 'meera'])).toEqual(['old', 'new', 'm1']);
    // A signer read with no key (or never read) sends the push to read the keys itself.
    expect(memory.heldKeys('clinic', ['rita', 'nobody'])).toBeNull();
    expect(memory.heldKeys('clinic', ['stranger'])).toBeNull();
    expect(memory.heldKeys('other clinic', ['rita'])).toBeNull();
  });

  it('keeps no entry for user ids without keys, however many a desk names, and a bounded number per clinic', () => {
    const memory = new PushMemory<{ id: string }>();
    for (let turn = 0; turn < 50; turn++) memory.rememberKeys('clinic', new Map(Array.from({ length: 500 }, (_, i) => [`made-up-${turn}-${i}`, []])));
    expect(memory.usersKept('clinic')).toBe(0);
    for (let turn = 0; turn < 10; turn++) memory.rememberKeys('clinic', new Map(Array.from({ length: 500 }, (_, i) => [`user-${turn}-${i}`, keys(`k-${turn}-${i}`)])));
    expect(memory.usersKept('clinic')).toBeLessThanOrEqual(2_000);
    expect(memory.heldKeys('clinic', ['user-9-499'])).toEqual(['k-9-499']);
  });

  it('forgets a desk it saw revoked', () => {
    const memory = new PushMemory<{ id: string; name: string }>();
    memory.remember({ id: 'desk-b', name: 'Desk B' });
    expect(memory.device('desk-b')).toEqual({ id: 'desk-b', name: 'Desk B' });
    memory.forget('desk-b');
    expect(memory.device('desk-b')).toBeUndefined();
  });
});
