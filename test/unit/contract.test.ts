import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../electron/api';
import { mergeRoutes, method } from '../../electron/api/contract';
import { validationError } from '../../electron/api/router';

const ping = method({ input: z.object({}), access: 'public', mutates: false, run: () => 'pong' });

describe('API contract', () => {
  it('refuses a method name declared twice when the routes are assembled', () => {
    expect(() => mergeRoutes({ 'x.ping': ping }, { 'x.ping': ping })).toThrow(/"x\.ping" is declared twice/);
  });

  it('declares every method with an input schema, access rule and mutation flag', () => {
    for (const [name, def] of Object.entries(routes)) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z0-9]+$/);
      expect(typeof def.input.safeParse).toBe('function');
      expect(typeof def.mutates).toBe('boolean');
      expect(def.access).toBeTruthy();
    }
  });

  it('names each invalid field by its path in the input', () => {
    const schema = z.object({ facility: z.object({ name: z.string().min(1, 'Clinic name is required') }) });
    const parsed = schema.safeParse({ facility: { name: '' } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const error = validationError(parsed.error);
    expect(error.code).toBe('invalid_input');
    expect(error.fields).toEqual({ 'facility.name': 'Clinic name is required' });
    expect(error.message).toContain('facility.name');
  });
});
