import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { counterPostersPdf } from '../../electron/pdf/counter-poster';
import { counterCode, scanShareUrl } from '../../shared/abdm-shares';
import { tempDir } from '../helpers/temp';

/**
 * The Scan & Share counter posters: one page per counter naming the facility and the counter, with
 * a QR code of ABDM's share-profile link. No QR decoder is installed, so the payload is checked at
 * the function level (the drawing is the qrcode package's own matrix).
 */
describe('Scan & Share counter posters', () => {
  it('encodes ABDM’s share-profile link with the HFR id and the counter code', () => {
    expect(scanShareUrl('IN2710001234', 'Desk A')).toBe('https://phr.abdm.gov.in/share-profile?hip-id=IN2710001234&counter-id=Desk-A');
    expect(scanShareUrl('IN2710001234', '  OPD counter 2 ')).toBe('https://phr.abdm.gov.in/share-profile?hip-id=IN2710001234&counter-id=OPD-counter-2');
    expect(counterCode('***')).toBe('1');
    // The counter code is one the gateway accepts back as metaData.context (patient-share.yaml's pattern).
    expect(counterCode('Desk #3 (new)')).toMatch(/^[a-zA-Z0-9 ](?:[a-zA-Z0-9.\-_ ]*[a-zA-Z0-9 ])?$/);
  });

  it('prints one page per counter naming the facility and the counter', async () => {
    const pdf = await counterPostersPdf({ facilityName: 'Sharma Clinic', hfrId: 'IN2710001234', counters: ['Desk A', 'Desk B'], date: '2026-12-06' });
    const file = path.join(tempDir('poster-'), 'poster.pdf');
    fs.writeFileSync(file, pdf);
    const pages = (n: number) => spawnSync('pdftotext', ['-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' }).stdout;
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Pages:\s+2/);
    for (const [n, counter] of [[1, 'Desk A'], [2, 'Desk B']] as const) {
      const text = pages(n);
      expect(text).toContain('Sharma Clinic');
      expect(text).toContain(`Counter: ${counter}`);
      expect(text).toContain(`counter code ${counter.replace(' ', '-')}`);
      expect(text).toContain('IN2710001234');
    }
  });
});
