import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationError } from '../../electron/api/router';
import { cleanText, lineText, linesText, pathText, scrubInput, secretText, textFault } from '../../electron/api/text';

const HINDI = 'क्\u200Dष श्\u200Cरी';

describe('the text rule', () => {
  it('tells apart what is wrong', () => {
    expect(textFault('Ram\u0000esh', 'line')).toBe('control');
    expect(textFault('Ram\u007Fesh', 'line')).toBe('control');
    expect(textFault('Ram\u0085esh', 'line')).toBe('control');
    expect(textFault('abc\u202Edef', 'line')).toBe('bidi');
    expect(textFault('abc\u2066def\u2069', 'line')).toBe('bidi');
    expect(textFault('\uFEFFabc', 'line')).toBe('bom');
    expect(textFault('abc\uD800', 'line')).toBe('broken');
    expect(textFault('\uDC00abc', 'line')).toBe('broken');
    expect(textFault('a\tb', 'line')).toBe('line-break');
    expect(textFault('a\nb', 'line')).toBe('line-break');
    expect(textFault('a\r\nb', 'line')).toBe('line-break');
    // Unicode's own line and paragraph separators are line breaks too.
    expect(textFault('a\u2028b', 'line')).toBe('line-break');
    expect(textFault('a\u2029b', 'line')).toBe('line-break');
    // Invisible characters that would let "Ra<ZWSP>m" pass for a new patient beside "Ram".
    expect(textFault('Ra\u200Bm', 'line')).toBe('control');
    expect(textFault('Ra\u2060m', 'lines')).toBe('control');
  });

  it('lets through what staff really type', () => {
    for (const s of ['Ramesh Kumar', 'José', 'São Paulo', HINDI, 'தமிழ்', 'pain 😣', 'Dr. D’Souza', '']) {
      expect(textFault(s, 'line'), s).toBeNull();
    }
    expect(textFault('line one\nline two\twith tab\r\nand CRLF', 'lines')).toBeNull();
    expect(textFault('lone\rCR', 'lines')).toBe('control');
    expect(textFault('any\r\n\t', 'any')).toBeNull();
  });

  it('refuses only NUL and broken text in a password, and never changes it', () => {
    expect(textFault('tab\there\u202E\uFEFF', 'secret')).toBeNull();
    expect(textFault('pass\u0000word', 'secret')).toBe('control');
    expect(textFault('pass\uD800word', 'secret')).toBe('broken');
    expect(cleanText('pa\u0301ss', 'secret')).toBe('pa\u0301ss');
  });

  it('stores NFC, and LF line ends in text areas', () => {
    expect(cleanText('Jose\u0301', 'line')).toBe('Jos\u00E9');
    expect(cleanText(HINDI, 'line')).toBe(HINDI);
    expect(cleanText('a\r\nb', 'lines')).toBe('a\nb');
    expect(cleanText('a\u2028b\u2029c', 'lines')).toBe('a\nb\nc');
  });

  it('gives schemas that name the field in staff words and stop at the first fault', () => {
    const schema = z.object({
      givenName: lineText('Given name').trim().min(1, 'Given name is required'),
      advice: linesText('Advice').trim(),
      password: secretText('Password'),
      file: pathText('Backup file'),
    });
    const bad = schema.safeParse({ givenName: ' \uFEFF ', advice: 'x\u202E', password: 'a\u0000', file: 'C:\\a\tb' });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(validationError(bad.error).fields).toEqual({
      givenName: 'Given name contains an invisible byte-order mark; retype it',
      advice: 'Advice contains a right-to-left override mark; retype it',
      password: 'Password contains an invisible control character; retype it',
      file: 'Backup file must be on one line (it contains a line break or tab); retype it',
    });

    const good = schema.parse({ givenName: ' Jose\u0301 ', advice: 'Rest\r\nFluids\n', password: 'pa\u0301ss', file: '/media/Backups/cafe\u0301.db' });
    expect(good).toEqual({ givenName: 'Jos\u00E9', advice: 'Rest\nFluids', password: 'pa\u0301ss', file: '/media/Backups/cafe\u0301.db' });
  });
});

describe("the router's backstop", () => {
  it('returns the same input when there is nothing to change', () => {
    const input = { query: 'ramesh', limit: 20, nested: [{ a: 'b' }] };
    const out = scrubInput(input);
    expect(out).toEqual({ input, fields: null });
    expect(out.input).toBe(input);
  });

  it('normalises every string without touching the caller’s object, except passwords and paths', () => {
    const input = {
      patient: { givenName: 'Jose\u0301', tags: ['Sa\u0303o'] },
      password: 'pa\u0301ss',
      approval: { newPassword: 'pa\u0301ss' },
      path: '/tmp/cafe\u0301.csv',
    };
    const out = scrubInput(input);
    expect(out.fields).toBeNull();
    expect(out.input).toEqual({
      patient: { givenName: 'Jos\u00E9', tags: ['S\u00E3o'] },
      password: 'pa\u0301ss',
      approval: { newPassword: 'pa\u0301ss' },
      path: '/tmp/cafe\u0301.csv',
    });
    expect(input.patient.givenName).toBe('Jose\u0301');
  });

  it('names each faulty field by the path validationError uses', () => {
    const out = scrubInput({
      patient: { givenName: 'a\u0000', allergies: [{ substance: 'b\u202E' }] },
      lines: [{ description: 'ok' }, { description: 'c\uD800' }],
      password: 'x\u0000',
      note: 'keeps\r\nbreaks\tand tabs',
    });
    expect(out.fields).toEqual({
      'patient.givenName': 'Given name contains an invisible control character; retype it',
      'patient.allergies.0.substance': 'Substance contains a right-to-left override mark; retype it',
      'lines.1.description': 'Description contains a broken character; retype it',
      password: 'Password contains an invisible control character; retype it',
    });
    expect(scrubInput('\uFEFF').fields).toEqual({ '(input)': 'The text contains an invisible byte-order mark; retype it' });
  });

  it('refuses a control character in a key, and input nested deeper than any method takes', () => {
    expect(scrubInput({ 'a\u0000': 1 }).fields).toEqual({ 'a\u0000': 'A field name contains an invisible control character; retype it' });
    let deep: unknown = 'x';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    expect(Object.values(scrubInput(deep).fields ?? {})).toEqual(['This is nested too deeply']);
  });

  it('lets the schema name a field first, and adds what only the backstop saw', () => {
    const schema = z.object({ givenName: lineText('Given name'), age: z.number({ error: 'Age must be a number' }) });
    const raw = { givenName: 'a\u0000', age: 'x', extra: 'b\u202E' };
    const scrubbed = scrubInput(raw);
    const parsed = schema.safeParse(scrubbed.input);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(validationError(parsed.error, scrubbed.fields).fields).toEqual({
      givenName: 'Given name contains an invisible control character; retype it',
      age: 'Age must be a number',
      extra: 'Extra contains a right-to-left override mark; retype it',
    });
  });
});
