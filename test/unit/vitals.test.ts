import { describe, expect, it } from 'vitest';
import { outsideRange } from '../../electron/services/labs';
import { bmiOf, fahrenheitToCelsius, formatTemperature, impossibleVitals, parseTemperature, VITAL_LIMITS, vitalChanges, vitalWarnings } from '../../shared/vitals';

const fields = (warnings: { field: string }[]) => warnings.map((w) => w.field);

describe('impossibleVitals', () => {
  it('accepts an ordinary adult, an empty set and values left blank', () => {
    expect(impossibleVitals({ bpSystolic: 120, bpDiastolic: 80, pulse: 72, temperatureC: 36.8, spo2: 98, respiratoryRate: 16, weightKg: 70, heightCm: 172, bloodSugar: 95 })).toEqual({});
    expect(impossibleVitals({})).toEqual({});
    expect(impossibleVitals({ bpSystolic: null, pulse: undefined, bloodSugarType: 'fasting' })).toEqual({});
  });

  it('refuses values no living patient has, naming the field', () => {
    expect(impossibleVitals({ bpSystolic: 400 })).toEqual({ bpSystolic: 'BP systolic of 400 mmHg is not possible (expected 40-300)' });
    expect(impossibleVitals({ temperatureC: 101.3 })).toEqual({ temperatureC: 'Temperature of 101.3 °C is not possible (expected 25-45)' });
    expect(Object.keys(impossibleVitals({ spo2: 101, pulse: 0, weightKg: 0.1, heightCm: 300, bloodSugar: 5, respiratoryRate: 90 })).sort()).toEqual(
      ['bloodSugar', 'heightCm', 'pulse', 'respiratoryRate', 'spo2', 'weightKg'],
    );
  });

  it('takes the limits themselves as possible', () => {
    for (const [key, limit] of Object.entries(VITAL_LIMITS)) {
      expect(impossibleVitals({ [key]: limit.min }), `${key} at ${limit.min}`).toEqual({});
      expect(impossibleVitals({ [key]: limit.max }), `${key} at ${limit.max}`).toEqual({});
    }
  });

  it('refuses a diastolic pressure not below the systolic', () => {
    expect(impossibleVitals({ bpSystolic: 80, bpDiastolic: 120 })).toEqual({ bpDiastolic: 'BP diastolic (120) must be lower than systolic (80)' });
    expect(impossibleVitals({ bpSystolic: 100, bpDiastolic: 100 })).toHaveProperty('bpDiastolic');
    expect(impossibleVitals({ bpSystolic: 100, bpDiastolic: 99 })).toEqual({});
    // Only one of the two recorded: nothing to compare.
    expect(impossibleVitals({ bpDiastolic: 120 })).toEqual({});
    // An impossible diastolic keeps its own message.
    expect(impossibleVitals({ bpSystolic: 120, bpDiastolic: 250 }).bpDiastolic).toMatch(/not possible/);
  });
});

describe('temperatures in °F or °C', () => {
  const celsius = (text: string) => {
    const r = parseTemperature(text);
    return r.ok ? r.celsius : r.error;
  };

  it('reads 101.2 °F however it is written, and stores it in °C exactly', () => {
    for (const typed of ['101.2 °F', '101.2F', '101.2 f', '101.2°F', '101.2 deg F', ' 101.2 ', '101,2']) {
      expect(celsius(typed), typed).toBeCloseTo(38.444444, 5);
    }
    expect(formatTemperature(38.44444444444444, 'F')).toBe('101.2 °F');
    expect(formatTemperature(38.44444444444444, 'C')).toBe('38.4 °C');
  });

  it('takes a bare number above 45 as °F and one up to 45 as °C, and a unit as written', () => {
    expect(celsius('98.6')).toBeCloseTo(37, 10);
    expect(celsius('38.4')).toBe(38.4);
    expect(celsius('38.4 C')).toBe(38.4);
    expect(celsius('38.4 °c')).toBe(38.4);
    expect(celsius('45')).toBe(45);
    expect(celsius('46')).toBeCloseTo(7.78, 2);
    expect(celsius('')).toBeNull();
    expect(celsius('  ')).toBeNull();
  });

  it('refuses what is not a temperature, saying how to write one', () => {
    for (const typed of ['hot', '101.2 K', '1o1', '38.4.1', '-2']) {
      expect(celsius(typed), typed).toBe('Temperature must be a number, in °F or °C (e.g. 101.2 °F or 38.4 °C)');
    }
  });

  it('round-trips every tenth of a degree Fahrenheit a thermometer shows', () => {
    for (let tenths = 900; tenths <= 1100; tenths++) {
      const typed = (tenths / 10).toFixed(1);
      const c = parseTemperature(`${typed} F`);
      expect(c.ok && c.celsius !== null && formatTemperature(c.celsius, 'F')).toBe(`${typed} °F`);
    }
  });

  it("words the refusal and the warnings in the clinic's unit", () => {
    expect(impossibleVitals({ temperatureC: (120 - 32) * (5 / 9) }, 'F')).toEqual({ temperatureC: 'Temperature of 120.0 °F is not possible (expected 77-113)' });
    expect(vitalWarnings({ temperatureC: 38.44444444444444 }, 'F')).toEqual([{ field: 'temperatureC', message: 'Temperature 101.2 °F is high' }]);
  });

  it("shows an amendment's changed vitals only, temperatures in the clinic's unit to one decimal", () => {
    const before = { bpSystolic: 120, bpDiastolic: 80, temperatureC: fahrenheitToCelsius(101.2), bloodSugar: null };
    const after = { bpSystolic: 120, bpDiastolic: 80, temperatureC: fahrenheitToCelsius(99.4), bloodSugar: 140, bloodSugarType: 'fasting' as const };
    expect(vitalChanges(before, after, 'F')).toEqual([
      { label: 'Temperature', before: '101.2 °F', after: '99.4 °F' },
      { label: 'Blood sugar', before: null, after: '140 mg/dL' },
      { label: 'Blood sugar taken', before: null, after: 'fasting' },
    ]);
    expect(vitalChanges(before, after, 'C')[0]).toEqual({ label: 'Temperature', before: '38.4 °C', after: '37.4 °C' });
    expect(vitalChanges(after, { ...after, pulse: null }, 'F')).toEqual([]);
  });
});

describe('bmiOf', () => {
  it('is weight over height squared, to one decimal', () => {
    expect(bmiOf({ weightKg: 70, heightCm: 175 })).toBe(22.9);
    expect(bmiOf({ weightKg: 95, heightCm: 165 })).toBe(34.9);
    expect(bmiOf({ weightKg: 3.2, heightCm: 50 })).toBe(12.8);
  });

  it('is not given without both weight and height', () => {
    expect(bmiOf({ weightKg: 70 })).toBeNull();
    expect(bmiOf({ heightCm: 170 })).toBeNull();
    expect(bmiOf({ weightKg: 70, heightCm: null })).toBeNull();
    expect(bmiOf({})).toBeNull();
  });
});

describe('vitalWarnings', () => {
  it('says nothing about normal values', () => {
    expect(vitalWarnings({ bpSystolic: 118, bpDiastolic: 78, pulse: 72, temperatureC: 37, spo2: 100, respiratoryRate: 16, weightKg: 64, heightCm: 165, bloodSugar: 110 })).toEqual([]);
    expect(vitalWarnings({})).toEqual([]);
  });

  it('flags high and low values with the reading and its unit', () => {
    expect(vitalWarnings({ bpSystolic: 160, bpDiastolic: 100 })).toEqual([
      { field: 'bpSystolic', message: 'BP systolic 160 mmHg is high' },
      { field: 'bpDiastolic', message: 'BP diastolic 100 mmHg is high' },
    ]);
    expect(vitalWarnings({ bpSystolic: 85, bpDiastolic: 55 }).map((w) => w.message)).toEqual(['BP systolic 85 mmHg is low', 'BP diastolic 55 mmHg is low']);
    expect(vitalWarnings({ spo2: 90 })).toEqual([{ field: 'spo2', message: 'SpO2 90 % is low' }]);
    expect(vitalWarnings({ temperatureC: 38.5 })).toEqual([{ field: 'temperatureC', message: 'Temperature 38.5 °C is high' }]);
    expect(vitalWarnings({ temperatureC: 34.5 })[0]?.message).toBe('Temperature 34.5 °C is low');
    expect(fields(vitalWarnings({ pulse: 45, respiratoryRate: 30, bloodSugar: 320 }))).toEqual(['pulse', 'respiratoryRate', 'bloodSugar']);
    expect(vitalWarnings({ bloodSugar: 62 })[0]?.message).toBe('Blood sugar 62 mg/dL is low');
  });

  it('does not warn at the edges of normal', () => {
    expect(vitalWarnings({ bpSystolic: 139, bpDiastolic: 89, pulse: 100, temperatureC: 37.9, spo2: 94, bloodSugar: 200 })).toEqual([]);
    expect(vitalWarnings({ bpSystolic: 90, bpDiastolic: 60, pulse: 50, temperatureC: 35, bloodSugar: 70 })).toEqual([]);
  });

  it('leaves impossible values to the refusal instead of warning', () => {
    expect(vitalWarnings({ bpSystolic: 400, spo2: 120 })).toEqual([]);
  });

  it('flags an underweight or obese BMI', () => {
    expect(vitalWarnings({ weightKg: 45, heightCm: 170 })).toEqual([{ field: 'bmi', message: 'BMI 15.6 is underweight' }]);
    expect(vitalWarnings({ weightKg: 100, heightCm: 170 })).toEqual([{ field: 'bmi', message: 'BMI 34.6 is in the obese range' }]);
    expect(vitalWarnings({ weightKg: 86.7, heightCm: 170 })).toEqual([{ field: 'bmi', message: 'BMI 30 is in the obese range' }]);
    expect(vitalWarnings({ weightKg: 53.5, heightCm: 170 })).toEqual([]); // 18.5
    expect(vitalWarnings({ weightKg: 100 })).toEqual([]);
  });
});

describe('outsideRange', () => {
  it('reads a "low-high" range', () => {
    expect(outsideRange('12.1', '13.0-17.0')).toBe(true);
    expect(outsideRange('17.5', '13.0-17.0')).toBe(true);
    expect(outsideRange('14.2', '13.0-17.0')).toBe(false);
    expect(outsideRange('13.0', '13.0-17.0')).toBe(false);
    expect(outsideRange('17', '13.0-17.0')).toBe(false);
    expect(outsideRange(' 4.5 ', '0.4 – 4.0')).toBe(true);
    expect(outsideRange('15', '0-20')).toBe(false);
  });

  it('reads "< limit" and "> limit", the limit itself outside a strict one', () => {
    expect(outsideRange('240', '< 200')).toBe(true);
    expect(outsideRange('180', '< 200')).toBe(false);
    expect(outsideRange('200', '< 200')).toBe(true);
    expect(outsideRange('200', '<= 200')).toBe(false);
    expect(outsideRange('201', '<=200')).toBe(true);
    expect(outsideRange('35', '> 40')).toBe(true);
    expect(outsideRange('55', '>40')).toBe(false);
    expect(outsideRange('40', '> 40')).toBe(true);
    expect(outsideRange('40', '>= 40')).toBe(false);
  });

  it('cannot tell for text results or ranges it does not understand', () => {
    expect(outsideRange('Positive', '< 200')).toBeNull();
    expect(outsideRange('150', null)).toBeNull();
    expect(outsideRange('150', '')).toBeNull();
    expect(outsideRange('150', 'Negative')).toBeNull();
  });
});
