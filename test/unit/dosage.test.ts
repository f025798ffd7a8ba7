import { describe, expect, it } from 'vitest';
import {
  dosesPerDay,
  durationWords,
  frequencyWords,
  parseFrequency,
  routeWords,
  timingWords,
} from '../../shared/dosage';

describe('frequencyWords', () => {
  it('reads the Indian morning-afternoon-night pattern in English and Hindi', () => {
    const cases: [string, string, string][] = [
      ['1-0-1', 'morning and night', 'सुबह और रात'],
      ['1-1-1', 'morning, afternoon and night', 'सुबह, दोपहर और रात'],
      ['1-1-1-1', 'four times a day', 'दिन में चार बार'],
      ['0-0-1', 'at night', 'रात में'],
      ['1-0-0', 'in the morning', 'सुबह'],
      ['0-1-0', 'in the afternoon', 'दोपहर में'],
      ['1-1-0', 'morning and afternoon', 'सुबह और दोपहर'],
      ['1-0-1-1', 'morning, evening and night', 'सुबह, शाम और रात'],
      ['2-0-2', '2 in the morning and 2 at night', 'सुबह 2 और रात 2'],
      ['½-0-½', '½ in the morning and ½ at night', 'सुबह ½ और रात ½'],
      ['1 - 0 - 1', 'morning and night', 'सुबह और रात'],
      ['1–0–1', 'morning and night', 'सुबह और रात'],
    ];
    for (const [freq, en, hi] of cases) {
      expect(frequencyWords(freq, 'en'), freq).toBe(en);
      expect(frequencyWords(freq, 'hi'), freq).toBe(hi);
    }
  });

  it('reads the usual abbreviations and words, in any case and with dots', () => {
    expect(frequencyWords('SOS', 'en')).toBe('when needed');
    expect(frequencyWords('sos', 'hi')).toBe('ज़रूरत होने पर');
    expect(frequencyWords('OD', 'en')).toBe('once a day');
    expect(frequencyWords('b.d.', 'en')).toBe('twice a day');
    expect(frequencyWords('BID', 'hi')).toBe('दिन में दो बार');
    expect(frequencyWords('TDS', 'en')).toBe('three times a day');
    expect(frequencyWords('tid', 'en')).toBe('three times a day');
    expect(frequencyWords('QID', 'en')).toBe('four times a day');
    expect(frequencyWords('HS', 'en')).toBe('at bedtime');
    expect(frequencyWords('HS', 'hi')).toBe('सोते समय');
    expect(frequencyWords('STAT', 'en')).toBe('immediately, once');
    expect(frequencyWords('Q6H', 'en')).toBe('every 6 hours');
    expect(frequencyWords('q8h', 'hi')).toBe('हर 8 घंटे पर');
    expect(frequencyWords('twice daily', 'en')).toBe('twice a day');
    expect(frequencyWords('Once a week', 'hi')).toBe('हफ़्ते में एक बार');
    expect(frequencyWords('alternate days', 'en')).toBe('on alternate days');
  });

  it('gives back what it does not understand (and nothing in Hindi)', () => {
    expect(frequencyWords('as directed by the physician', 'en')).toBe('as directed by the physician');
    expect(frequencyWords('as directed by the physician', 'hi')).toBe('');
    expect(frequencyWords('0-0-0', 'en')).toBe('0-0-0');
    expect(frequencyWords('1-0', 'en')).toBe('1-0');
    expect(frequencyWords('  ', 'en')).toBe('');
  });

  it('keeps the shorthand for printing beside the words', () => {
    expect(parseFrequency('1 - 0 - 1')?.shorthand).toBe('1-0-1');
    expect(parseFrequency('b.d.')?.shorthand).toBe('BD');
    expect(parseFrequency('twice daily')?.shorthand).toBeNull();
  });
});

describe('dosesPerDay', () => {
  it('counts the doses of a pattern', () => {
    expect(dosesPerDay('1-0-1')).toBe(2);
    expect(dosesPerDay('1-1-1')).toBe(3);
    expect(dosesPerDay('1-1-1-1')).toBe(4);
    expect(dosesPerDay('0-0-1')).toBe(1);
    expect(dosesPerDay('2-0-2')).toBe(4);
    expect(dosesPerDay('½-0-½')).toBe(1);
    expect(dosesPerDay('1/2-0-1')).toBe(1.5);
    expect(dosesPerDay('1½-0-1½')).toBe(3);
  });

  it('knows the abbreviations', () => {
    expect(dosesPerDay('OD')).toBe(1);
    expect(dosesPerDay('BD')).toBe(2);
    expect(dosesPerDay('TDS')).toBe(3);
    expect(dosesPerDay('QID')).toBe(4);
    expect(dosesPerDay('HS')).toBe(1);
    expect(dosesPerDay('Q6H')).toBe(4);
    expect(dosesPerDay('Q12H')).toBe(2);
    expect(dosesPerDay('alternate days')).toBe(0.5);
    expect(dosesPerDay('once daily')).toBe(1);
  });

  it('is null when the number cannot be known', () => {
    expect(dosesPerDay('SOS')).toBeNull();
    expect(dosesPerDay('PRN')).toBeNull();
    expect(dosesPerDay('STAT')).toBeNull();
    expect(dosesPerDay('weekly')).toBeNull();
    expect(dosesPerDay('Q5H')).toBeNull();
    expect(dosesPerDay('as directed')).toBeNull();
    expect(dosesPerDay('0-0-0')).toBeNull();
    expect(dosesPerDay('')).toBeNull();
  });
});

describe('timing, route and duration words', () => {
  it('puts timing in words', () => {
    expect(timingWords('after-food', 'en')).toBe('after food');
    expect(timingWords('after-food', 'hi')).toBe('खाने के बाद');
    expect(timingWords('before-food', 'hi')).toBe('खाने से पहले');
    expect(timingWords('empty-stomach', 'en')).toBe('on an empty stomach');
    expect(timingWords('any', 'en')).toBe('');
  });

  it('leaves out the oral route and names the others', () => {
    expect(routeWords('oral', 'en')).toBe('');
    expect(routeWords('Oral', 'hi')).toBe('');
    expect(routeWords('topical', 'en')).toBe('apply on the skin');
    expect(routeWords('IM', 'en')).toBe('intramuscular (IM)');
    expect(routeWords('transdermal', 'en')).toBe('transdermal');
    expect(routeWords('transdermal', 'hi')).toBe('');
  });

  it('says how long', () => {
    expect(durationWords(5, 'en')).toBe('for 5 days');
    expect(durationWords(1, 'en')).toBe('for 1 day');
    expect(durationWords(5, 'hi')).toBe('5 दिन तक');
    expect(durationWords(null, 'en')).toBe('');
    expect(durationWords(0, 'hi')).toBe('');
  });
});
