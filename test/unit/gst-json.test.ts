import { describe, expect, it } from 'vitest';
import { gstr1Json } from '../../electron/services/gst/json';
import type { Gstr1Figures } from '../../electron/services/gst/figures';

const figures = (period: string): Gstr1Figures => ({
  clinic: { name: 'Sharma Clinic', gstin: '27AAAPL1234C1Z5', stateCode: '27' },
  range: { from: '2025-04-01', to: '2025-04-30' },
  period,
  wholeMonth: true,
  b2cs: [],
  hsn: [{ code: '90211000', description: 'Knee brace', uqc: 'NOS', quantity: 1, rateBp: 1800, taxablePaise: 30_000, cgstPaise: 2_700, sgstPaise: 2_700 }],
  nil: { exemptPaise: 0, nilPaise: 0, nonGstPaise: 0 },
  documents: [],
  totals: { taxablePaise: 30_000, cgstPaise: 2_700, sgstPaise: 2_700, noTaxPaise: 0 },
  warnings: [],
});

describe('GSTR-1 table 12 layout', () => {
  const row = { num: 1, hsn_sc: '90211000', desc: 'Knee brace', uqc: 'NOS', qty: 1, rt: 18, txval: 300, iamt: 0, camt: 27, samt: 27, csamt: 0 };
  it('splits HSN rows into B2C from the return period May 2025 (HSN Phase-III), a clinic having no B2B supplies', () => {
    expect(gstr1Json(figures('052025')).hsn).toEqual({ hsn_b2c: [row] });
    expect(gstr1Json(figures('112026')).hsn).toEqual({ hsn_b2c: [row] });
  });
  it('keeps the single list for a period before the split', () => {
    expect(gstr1Json(figures('042025')).hsn).toEqual({ data: [row] });
  });
});
