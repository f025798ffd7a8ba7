import { describe, expect, it } from 'vitest';
import { spellingVariants } from '../../electron/services/spelling';

describe('British and American medical spelling', () => {
  it('tries the American spelling of a British word, even half typed', () => {
    expect(spellingVariants('Anaemia')).toContain('anemia');
    expect(spellingVariants('oesophagitis')).toContain('esophagitis');
    expect(spellingVariants('diarrhoea')).toContain('diarrhea');
    expect(spellingVariants('haemorr')).toContain('hemorr');
    expect(spellingVariants('leukaemia')).toContain('leukemia');
    expect(spellingVariants('paediatric')).toContain('pediatric');
    expect(spellingVariants('tumour')).toContain('tumor');
    expect(spellingVariants('dyspnoea')).toContain('dyspnea');
    expect(spellingVariants('oedema')).toContain('edema');
    expect(spellingVariants('localised')).toContain('localized');
  });

  it('tries the British spelling of an American word, and keeps the word itself first', () => {
    expect(spellingVariants('anemia')).toEqual(['anemia', 'anaemia']);
    expect(spellingVariants('hemorrhoids')[0]).toBe('hemorrhoids');
    expect(spellingVariants('hemorrhoids')).toContain('haemorrhoids');
    expect(spellingVariants('diarrhea')).toContain('diarrhoea');
  });

  it('leaves words that are spelt the same alone', () => {
    expect(spellingVariants('fever')).toEqual(['fever']);
    expect(spellingVariants('diabetes')).toEqual(['diabetes']);
    expect(spellingVariants('i10')).toEqual(['i10']);
  });
});
