import { describe, expect, it } from 'vitest';
import { nameWords, phoneticKey, phoneticKeys, sameName, similarNames } from '../../electron/services/phonetic';

describe('nameWords', () => {
  it('lower-cases, drops accents and splits on anything that is not a letter or digit', () => {
    expect(nameWords('  Mohd. RAFIQ  khan ')).toEqual(['mohd', 'rafiq', 'khan']);
    expect(nameWords('José D’Souza-Pereira')).toEqual(['jose', 'dsouza', 'pereira']);
    expect(nameWords("O'Brien d`costa")).toEqual(['obrien', 'dcosta']);
    // Another script stays whole, its vowel signs and viramas (combining marks) included.
    expect(nameWords('राम  शर्मा.')).toEqual(['राम', 'शर्मा']);
    expect(nameWords('Baby 2 of Gita')).toEqual(['baby', '2', 'of', 'gita']);
    expect(nameWords(' .- ')).toEqual([]);
  });
});

describe('names in Devanagari', () => {
  it('compares their words as they are: the same name matches, another does not', () => {
    expect(phoneticKeys('राम शर्मा')).toEqual(['राम', 'शर्मा']);
    expect(sameName('राम शर्मा', 'शर्मा राम')).toBe(true);
    expect(sameName('राम शर्मा', 'श्याम शर्मा')).toBe(false);
    expect(similarNames('राम शर्मा', 'राम वर्मा')).toBe(true);
    expect(similarNames('राम शर्मा', 'Ram Sharma')).toBe(false);
  });
});

describe('phoneticKey', () => {
  const sameKey: string[][] = [
    ['Mohammed', 'Mohd', 'Muhammad', 'Mohamed', 'MOHAMMAD'],
    ['Lakshmi', 'Laxmi', 'Lakshmee'],
    ['Shrinivas', 'Srinivas', 'Sreenivas'],
    ['Amit', 'Ameet'],
    ['Chaudhary', 'Choudhury', 'Chaudhari'],
    ['Sunita', 'Sunitha'],
    ['Prakash', 'Parkash'],
    ['Vikram', 'Wikram'],
    ['Zubair', 'Jubair'],
    ['Farhan', 'Pharhan'],
    ['Qadir', 'Kadir', 'Cadir'],
  ];

  it.each(sameKey.map((names) => [names.join(' / '), names] as const))('gives the same key to %s', (_label, names) => {
    const keys = names.map(phoneticKey);
    expect(new Set(keys).size, keys.join(', ')).toBe(1);
    expect(keys[0]!.length).toBeGreaterThan(0);
  });

  it('keeps the first letter and the consonants that tell names apart', () => {
    expect(phoneticKey('Mohammed')).toBe('md');
    expect(phoneticKey('Lakshmi')).toBe('lksm');
    expect(phoneticKey('Anil')).toBe('anl');
    const different = ['Ramesh', 'Suresh', 'Rakesh', 'Mahesh', 'Amit', 'Anil', 'Sunita', 'Sangita'];
    expect(new Set(different.map(phoneticKey)).size).toBe(different.length);
  });

  it('gives an empty key for something without letters', () => {
    expect(phoneticKey('')).toBe('');
    expect(phoneticKey('123')).toBe('');
    expect(phoneticKeys('12 - 34')).toEqual([]);
  });
});

describe('similarNames', () => {
  it('matches spelling variants of the same person', () => {
    expect(similarNames('Mohammed Rafiq', 'Mohd Rafiq')).toBe(true);
    expect(similarNames('Muhammad Rafeeq', 'Mohammed Rafiq')).toBe(true);
    expect(similarNames('Laxmi Devi', 'Lakshmi Devi')).toBe(true);
    // The same first name is enough: a surname may be left out at one visit.
    expect(similarNames('Lakshmi', 'Laxmi Devi')).toBe(true);
    // Words swapped: all of them sound alike.
    expect(similarNames('Rafiq Mohammed', 'Mohammed Rafiq')).toBe(true);
  });

  it('does not match family members who share only a surname', () => {
    expect(similarNames('Ramesh Kumar', 'Sunita Kumar')).toBe(false);
    expect(similarNames('Arjun Kumar', 'Ramesh Kumar')).toBe(false);
    expect(similarNames('Ramesh Kumar', 'Suresh Kumar')).toBe(false);
  });

  it('never matches an empty name', () => {
    expect(similarNames('', 'Ramesh')).toBe(false);
    expect(similarNames('Ramesh', '')).toBe(false);
    expect(similarNames('', '')).toBe(false);
  });
});

describe('sameName', () => {
  it('is the same name, spelling and word order aside', () => {
    expect(sameName('Seeta Ram', 'Sita Ram')).toBe(true);
    expect(sameName('Kumar Ramesh', 'ramesh KUMAR')).toBe(true);
    expect(sameName('Mohd Rafiq', 'Mohammed Rafiq')).toBe(true);
  });

  it('needs every word to match', () => {
    expect(sameName('Ramesh', 'Ramesh Kumar')).toBe(false);
    expect(sameName('Ramesh Kumar', 'Ramesh Kumar Singh')).toBe(false);
    expect(sameName('Sita Ram', 'Gita Ram')).toBe(false);
    expect(sameName('', '')).toBe(false);
  });
});
