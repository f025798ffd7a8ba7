import { scrubInput } from '../../electron/api/text';
import { round, type BenchContext } from './run';

/**
 * What the router's text backstop (electron/api/text.ts: every string of every input checked and
 * NFC-normalised) costs per call, for a per-keystroke patient search and a full registration.
 * Compare with patients.search p50 (about 1 ms on the 1M-patient database).
 */
export function bench({ report, log }: BenchContext): void {
  const inputs = {
    search: { query: 'ramesh kum', limit: 10 },
    register: {
      patient: {
        givenName: 'Ramesh', familyName: 'Kumar', gender: 'male', dob: '1970-03-15', mobile: '9822000010', addressLine1: '12 MG Road', city: 'Pune',
        state: 'Maharashtra', pincode: '411001', allergies: [{ substance: 'Penicillin', type: 'drug', severity: 'severe' }], chronicConditions: ['Diabetes'],
      },
    },
    register_hindi: { patient: { givenName: 'रमेश', familyName: 'कुमार', city: 'पुणे' } },
  };
  const n = 200_000;
  for (const [name, input] of Object.entries(inputs)) {
    for (let i = 0; i < 20_000; i++) scrubInput(input);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) scrubInput(input);
    const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
    report({ name: `router.text_scrub.${name}_us`, value: round(us, 3), unit: 'us', n });
  }
  log('router-text: done');
}
