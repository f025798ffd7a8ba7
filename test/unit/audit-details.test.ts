import { describe, expect, it } from 'vitest';
import { auditChanges, deletionNote, fieldLabel, formatInstant, startOfDay } from '../../renderer/src/screens/audit-details';

const IST = 'Asia/Kolkata';
const AT = Date.UTC(2026, 10, 21, 3, 17, 51); // 21 Nov 2026, 08:47:51 in India

describe('audit details', () => {
  it('lists what a registration filled in, by name, without bookkeeping, empty columns or secrets', () => {
    const lines = auditChanges(
      {
        oldValues: null,
        newValues: {
          id: '01a1fd4c-78c6-74a8-b5ae-c62aa7d7b14f',
          created_at: AT,
          updated_at: AT,
          hlc: '0001795250869873:0000:abcd',
          device_id: '01a1fd4c-0000-7000-8000-000000000001',
          deleted_at: null,
          mrn: 'A-000001',
          given_name: 'Farhan',
          family_name: null,
          chronic_conditions: [],
          allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }],
          consultation_fee_paise: 50000,
          dob: '1984-07-01',
          password_hash: '[redacted]',
          token_hash: 'c0ffee',
        },
      },
      IST,
    ).map((c) => c.text);
    expect(lines).toEqual([
      'MRN: A-000001',
      'Given name: Farhan',
      'Allergies: Type: medication, Substance: Penicillin, Severity: severe',
      'Consultation fee: ₹500.00',
      'Date of birth: 1 Jul 1984',
    ]);
    expect(lines.join('\n')).not.toMatch(/hlc|device|hash|redacted|created|01a1/i);
  });

  it('shows an update as old → new, including a value that was cleared', () => {
    const lines = auditChanges(
      { oldValues: { city: 'Pune', mobile: '9822055555', last_visit_at: null }, newValues: { city: 'Nashik', mobile: null, last_visit_at: AT, hlc: 'x' } },
      IST,
    );
    expect(lines.map((c) => c.text)).toEqual(['City: Pune → Nashik', 'Mobile: 9822055555 → —', expect.stringMatching(/^Last visit: — → 21 Nov( 2026)?, 08:47:51$/)]);
    expect(lines[0]).toMatchObject({ label: 'City', old: 'Pune', value: 'Nashik' });
  });

  it('says a soft delete in words rather than showing deleted_at', () => {
    const row = { oldValues: { deleted_at: null }, newValues: { deleted_at: AT } };
    expect(auditChanges(row, IST)).toEqual([]);
    expect(deletionNote(row)).toBe('Record deleted');
    expect(deletionNote({ newValues: { city: 'Pune' } })).toBeNull();
  });

  it('names columns the way people say them', () => {
    expect(fieldLabel('given_name')).toBe('Given name');
    expect(fieldLabel('abha_number')).toBe('ABHA number');
    expect(fieldLabel('patient_id')).toBe('Patient');
    expect(fieldLabel('policyNumber')).toBe('Policy number');
    expect(fieldLabel('address_line1')).toBe('Address line 1');
    expect(fieldLabel('spo2')).toBe('SpO2');
  });

  it('prints a time on one line in the clinic time zone, with the year only when it is not this one', () => {
    expect(formatInstant(AT, IST, AT)).toBe('21 Nov, 08:47:51');
    expect(formatInstant(AT, IST, Date.UTC(2027, 0, 2))).toBe('21 Nov 2026, 08:47:51');
  });

  it("finds the start of the clinic's day whatever the computer's zone", () => {
    expect(startOfDay('2026-11-21', IST)).toBe(Date.UTC(2026, 10, 20, 18, 30));
    expect(startOfDay('2026-11-21', 'UTC')).toBe(Date.UTC(2026, 10, 21));
    // Across a daylight-saving change: London is on BST (UTC+1) on 1 Aug.
    expect(startOfDay('2026-08-01', 'Europe/London')).toBe(Date.UTC(2026, 6, 31, 23));
  });
});
