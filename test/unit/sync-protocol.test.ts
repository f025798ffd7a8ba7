import { describe, expect, it } from 'vitest';
import { push } from '../../shared/sync-protocol';

const change = (columns: unknown) => ({ id: 'c1', seq: 1, table: 'patients', rowId: 'p1', op: 'update', columns, hlc: 'h', userId: null });

describe('a push as the server parses it', () => {
  it('refuses a change whose columns are not an object, naming the field', () => {
    // (A Buffer or a Date could arrive through socket.io's binary attachments or a hand-made client.)
    for (const columns of [[], 'city=Pune', null, 7, undefined, Buffer.from('{}'), new Date(0)]) {
      const r = push.safeParse({ changes: [change({ city: 'Pune' }), change(columns)] });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]).toMatchObject({ path: ['changes', 1, 'columns'], message: columns === undefined ? expect.any(String) : 'columns must be an object' });
    }
  });

  it('keeps the columns as sent, a "__proto__" member included as a plain member (no prototype is set)', () => {
    const sent = JSON.parse('{"changes":[{"id":"c1","seq":1,"table":"patients","rowId":"p1","op":"update","columns":{"city":"Pune","__proto__":{"polluted":true}},"hlc":"h","userId":null}]}') as unknown;
    const r = push.parse(sent);
    const columns = r.changes[0]!.columns;
    expect(Object.keys(columns)).toEqual(['city', '__proto__']);
    expect(Object.getPrototypeOf(columns)).toBe(Object.prototype);
    expect((columns as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
