import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../electron/services/passwords';

describe('password hashing', () => {
  it('stores a salted scrypt hash that verifies only the right password', () => {
    const a = hashPassword('correct horse');
    const b = hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain('correct horse');
    expect(a).not.toBe(b);
    expect(verifyPassword('correct horse', a)).toBe(true);
    expect(verifyPassword('correct horsf', a)).toBe(false);
    expect(verifyPassword('correct horse', 'garbage')).toBe(false);
  });
});
