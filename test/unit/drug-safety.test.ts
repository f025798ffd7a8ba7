import { describe, expect, it } from 'vitest';
import type { Allergy } from '../../db/schema';
import { allergyWarnings, duplicateWarnings } from '../../electron/services/drug-safety';

const penicillin: Allergy = { type: 'medication', substance: 'Penicillin', severity: 'severe' };
const sulfa: Allergy = { type: 'medication', substance: 'Sulfa drugs', severity: 'moderate' };

describe('allergy checks', () => {
  it('catches a drug of the allergic class, not only the named substance', () => {
    const w = allergyWarnings({ genericName: 'Amoxicillin', classes: ['penicillin', 'beta-lactam'] }, [penicillin]);
    expect(w).toEqual([{ code: 'allergy:penicillin', message: expect.stringContaining('Amoxicillin is a penicillin') }]);
    expect(w[0]!.message).toContain('severe');
  });

  it('catches the substance inside a combination', () => {
    const w = allergyWarnings({ genericName: 'Amoxicillin + Clavulanic Acid', classes: [] }, [{ ...penicillin, substance: 'amoxicillin' }]);
    expect(w.map((x) => x.code)).toEqual(['allergy:amoxicillin']);
  });

  it('understands everyday names for classes ("sulfa")', () => {
    expect(allergyWarnings({ genericName: 'Sulfamethoxazole + Trimethoprim', classes: ['sulfonamide'] }, [sulfa])).toHaveLength(1);
  });

  it('does not warn for an unrelated drug', () => {
    expect(allergyWarnings({ genericName: 'Azithromycin', classes: ['macrolide'] }, [penicillin, sulfa])).toEqual([]);
    expect(allergyWarnings({ genericName: 'Paracetamol', classes: [] }, [{ type: 'food', substance: 'Peanuts', severity: 'mild' }])).toEqual([]);
  });
});

describe('duplicate checks', () => {
  it('warns when an ingredient is already on the prescription or still being taken', () => {
    const w = duplicateWarnings(
      { genericName: 'Paracetamol', classes: [] },
      [{ genericName: 'Paracetamol + Caffeine' }, { genericName: 'Cetirizine' }],
      [{ genericName: 'Paracetamol', until: '2026-11-25' }],
    );
    expect(w.map((x) => x.code)).toEqual(['duplicate:paracetamol', 'active:paracetamol']);
  });

  it('stays quiet for different drugs', () => {
    expect(duplicateWarnings({ genericName: 'Ibuprofen', classes: [] }, [{ genericName: 'Paracetamol' }], [])).toEqual([]);
  });
});
