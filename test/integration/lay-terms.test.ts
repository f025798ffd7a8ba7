import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { layTermGroups } from '../../electron/services/lay-terms';
import { makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { checkIn, DAY, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/** The full ICD-10-CM list the app ships: code -> billable. */
function shippedCodes(): Map<string, boolean> {
  const text = zlib.gunzipSync(fs.readFileSync(path.resolve('resources/reference/icd10cm_codes.csv.gz'))).toString('utf8');
  const codes = new Map<string, boolean>();
  for (const line of text.split('\n').slice(1)) {
    if (line) codes.set(line.slice(0, line.indexOf(',')), line.endsWith(',Y'));
  }
  return codes;
}

describe('the lay-term list (shared/lay-terms.json)', () => {
  it('maps at least 300 everyday words, each to 1-3 billable codes of the ICD-10-CM list the app ships', () => {
    const shipped = shippedCodes();
    expect(shipped.size).toBe(76_423);
    const terms = layTermGroups.flatMap((g) => g.terms);
    expect(new Set(terms).size).toBeGreaterThanOrEqual(300);
    for (const g of layTermGroups) {
      expect(g.codes.length, g.terms[0]).toBeGreaterThanOrEqual(1);
      expect(g.codes.length, g.terms[0]).toBeLessThanOrEqual(3);
      for (const code of g.codes) expect(shipped.get(code), `${g.terms[0]} -> ${code}`).toBe(true);
    }
  });

  it('gives each word one meaning, written in lower case without stray spaces', () => {
    const seen = new Map<string, string>();
    for (const g of layTermGroups) {
      for (const t of g.terms) {
        expect(seen.get(t), `"${t}" is in two groups`).toBeUndefined();
        seen.set(t, g.codes.join());
        expect(t).toBe(t.trim().toLowerCase());
      }
    }
  });
});

/** What a doctor types, and the code that must be among the first five hits. */
const SAMPLE: [query: string, code: string][] = [
  // The words from the issue.
  ['piles', 'K64.9'], ['dog bite', 'W54.0XXA'], ['dog bite', 'Z20.3'], ['kidney stone', 'N20.0'], ['worms', 'B82.0'], ['worm', 'B77.9'],
  ['loose motions', 'R19.7'], ['sugar', 'E11.9'], ['bp', 'I10'], ['jaundice', 'R17'], ['peeliya', 'R17'], ['khansi', 'R05.9'],
  ['bukhar', 'R50.9'], ['pet dard', 'R10.9'], ['chest pain', 'R07.9'], ['white discharge', 'N89.8'], ['ringworm', 'B35.4'],
  ['daad', 'B35.4'], ['boil', 'L02.91'], ['sprain', 'S93.409A'], ['typhoid', 'A01.00'], ['dengue', 'A90'], ['acidity', 'K30'],
  ['gas', 'R14.0'], ['migraine', 'G43.909'], ['uti', 'N39.0'], ['burning urine', 'N39.0'], ['eye flu', 'H10.9'],
  ['conjunctivitis', 'H10.9'], ['scabies', 'B86'],
  // More everyday words, English and Hindi.
  ['bawasir', 'K64.9'], ['kamar dard', 'M54.50'], ['ghutne ka dard', 'M25.569'], ['sir dard', 'R51.9'], ['chakkar', 'R42'],
  ['ulti', 'R11.10'], ['kabz', 'K59.00'], ['khujli', 'L29.9'], ['phoda', 'L02.91'], ['pathri', 'N20.0'], ['peshab me jalan', 'N39.0'],
  ['safed pani', 'N89.8'], ['mc dard', 'N94.6'], ['period late', 'N91.2'], ['aankh aana', 'H10.9'], ['kaan dard', 'H92.09'],
  ['kaan behna', 'H92.10'], ['gala kharab', 'J02.9'], ['sardi', 'J00'], ['zukam', 'J00'], ['saans phoolna', 'R06.02'],
  ['dama', 'J45.909'], ['tapedik', 'A15.0'], ['nimonia', 'J18.9'], ['low bp', 'I95.9'], ['khoon ki kami', 'D64.9'],
  ['kamzori', 'R53.83'], ['motapa', 'E66.9'], ['thyroid', 'E07.9'], ['lakwa', 'I63.9'], ['mirgi', 'G40.909'], ['behoshi', 'R55'],
  ['neend nahi', 'G47.00'], ['ghabrahat', 'F41.9'], ['daant dard', 'K08.89'], ['munh ke chhale', 'K12.0'], ['hichki', 'R06.6'],
  ['pechish', 'A09'], ['snake bite', 'T63.001A'], ['bichhu', 'T63.2X1A'], ['billi ne kaata', 'W55.01XA'], ['chhoti mata', 'B01.9'],
  ['khasra', 'B05.9'], ['galsua', 'B26.9'], ['joo', 'B85.0'], ['muhase', 'L70.0'], ['rusi', 'L21.0'], ['baal jhadna', 'L65.9'],
  ['safed daag', 'L80'], ['pitti', 'L50.9'], ['motiyabind', 'H26.9'], ['loo lagna', 'T67.01XA'], ['sharab', 'F10.10'],
  ['gutkha', 'F17.220'], ['malaria', 'B54'], ['chikungunya', 'A92.0'], ['covid', 'U07.1'], ['fatty liver', 'K76.0'],
  ['hernia', 'K40.90'], ['gallstone', 'K80.20'], ['uric acid', 'E79.0'], ['frozen shoulder', 'M75.00'], ['edi dard', 'M79.673'],
  ['jal gaya', 'T30.0'], ['bed wetting', 'N39.44'], ['pcod', 'E28.2'], ['garbh', 'Z33.1'], ['kutte ne kaata', 'W54.0XXA'],
  ['rabies vaccine', 'Z23'], ['fissure', 'K60.2'], ['appendix', 'K37'], ['pinworm', 'B80'], ['teething', 'K00.7'], ['nakseer', 'R04.0'],
  ['vivax', 'B51.9'], ['nazla', 'J00'], ['khansi jukam', 'J00'],
  // Typed half-way, in another order, or spelt another way.
  ['kidney st', 'N20.0'], ['pet dar', 'R10.9'], ['dard pet', 'R10.9'], ['sugar ki bim', 'E11.9'], ['peshab jal', 'N39.0'],
  ['bokhaar', 'R50.9'], ['khaasi', 'R05.9'], ['piliyaa', 'R17'], ['diabetis', 'E11.9'], ['chakar', 'R42'], ['bukhr', 'R50.9'],
  ['haddi toot', 'T14.8XXA'], ['dyslip', 'E78.5'],
];

const SALT_GARGLE = { drugId: null, genericName: 'Warm saline gargle', form: 'gargle', route: 'oral', dose: '1 glass', frequency: '1-1-1', durationDays: 5 };

/** The queries the doctor benchmark (test/bench/doctor.ts) found nothing for before the lay terms. */
const BENCH_EMPTY = ['pile', 'dysli', 'worms', 'pulmonary tuberc', 'dog bite', 'R10.4', 'piles', 'dyslip', 'worm', 'kidney stone'];

describe('searching ICD-10 by everyday words', () => {
  let d: DoctorDesk;
  let loaded: { file: Buffer; desk: Omit<DoctorDesk, 'c'> };
  const search = (query: string, token = d.rao) => d.c.ok('reference.icd10Search', { query, limit: 10 }, token).map((h) => h.code);

  // Loading the list takes seconds: done once, then each test opens its own copy of the file.
  beforeAll(async () => {
    const { c, ...desk } = openDoctorDesk();
    const job = c.ok('reference.loadShipped', { lists: ['icd10'] }, desk.admin);
    expect((await c.app.jobs.wait(job.id)).status).toBe('done');
    c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    loaded = { file: fs.readFileSync(c.app.dbFile), desk };
  }, 180_000);
  beforeEach(() => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'clinic.db'), loaded.file);
    d = { c: makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 200 * DAY } }), ...loaded.desk };
  });

  it(`finds the right code in the first five for a broad sample (${SAMPLE.length} words)`, () => {
    expect(new Set(SAMPLE.map(([q]) => q)).size).toBeGreaterThanOrEqual(100);
    const misses = SAMPLE.filter(([q, code]) => !search(q).slice(0, 5).includes(code)).map(([q, code]) => `${q} -> ${code}: ${search(q).slice(0, 5).join(' ')}`);
    expect(misses).toEqual([]);
  });

  it('puts the lay term first and the title matches after it', () => {
    expect(search('piles')[0]).toBe('K64.9');
    const stone = search('kidney stone');
    expect(stone.slice(0, 3)).toEqual(['N20.0', 'N20.9', 'N23']);
    // A word that is also a title word still finds the titles after the lay terms.
    expect(search('cholera')).toEqual(expect.arrayContaining(['A00.9', 'A00.0', 'A00.1']));
    expect(search('type 2 diab').slice(0, 5)).toContain('E11.9');
  });

  it('answers every query the benchmark found nothing for', () => {
    for (const q of BENCH_EMPTY) expect(search(q), q).not.toEqual([]);
    // WHO's R10.4 is split in ICD-10-CM: its nearest parent's codes are offered.
    expect(search('R10.4').every((c) => c.startsWith('R10'))).toBe(true);
  });

  it("puts the doctor's own recent and favourite diagnoses first", () => {
    // Before: "fever" leads with the generic code, "tonsil" with acute tonsillitis.
    expect(search('fever', d.iyer)[0]).not.toBe('A01.00');
    expect(search('tonsil', d.iyer)[0]).toBe('J03.90');
    // Dr Iyer diagnosed typhoid this week, and keeps a favourite set for chronic tonsillitis.
    const visit = checkIn(d, d.anil, d.drIyer);
    d.c.ok('queue.callNext', {}, d.iyer);
    d.c.ok('consultations.save', { visitId: visit.visitId, note: { diagnoses: [{ code: 'A01.00', title: 'Typhoid fever, unspecified' }] } }, d.iyer);
    d.c.ok('prescriptions.saveFavourite', { kind: 'diagnosis', key: 'J35.01', name: 'Chronic tonsils', items: [SALT_GARGLE] }, d.iyer);
    d.c.clock.now += 2 * 60_000; // past the minute a doctor's list is kept (a favourite does not refresh it)
    expect(search('fever', d.iyer)[0]).toBe('A01.00');
    // "bukhar" names typhoid too ("miyadi bukhar"): the doctor's typhoid first, then plain fever.
    expect(search('bukhar', d.iyer).slice(0, 2)).toEqual(['A01.00', 'R50.9']);
    expect(search('khansi', d.iyer)[0]).toBe('R05.9');
    expect(search('typh', d.iyer)[0]).toBe('A01.00');
    expect(search('tonsil', d.iyer)[0]).toBe('J35.01');
    expect(search('chronic tons', d.iyer)[0]).toBe('J35.01');
    // Dr Rao's search is his own.
    expect(search('fever', d.rao)[0]).not.toBe('A01.00');
    // After 90 days the typhoid is no longer recent; the favourite stays.
    d.c.clock.now += 91 * DAY;
    expect(search('fever', d.iyer)[0]).not.toBe('A01.00');
    expect(search('tonsil', d.iyer)[0]).toBe('J35.01');
  });

  it('stays fast with the full list', () => {
    const started = performance.now();
    for (const [q] of SAMPLE) search(q);
    const perQuery = (performance.now() - started) / SAMPLE.length;
    expect(perQuery).toBeLessThan(20);
  });
});
