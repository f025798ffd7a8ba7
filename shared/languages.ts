/**
 * The languages a patient may prefer for what is handed to them (prescription, token slip). One
 * list for the schema, the API, the rule book and the screens; a language is added here first,
 * then wherever printing learns to speak it (`PRINT_LANGUAGE` below says what each one prints).
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', nativeName: 'English' },
  { code: 'hi', name: 'Hindi', nativeName: 'हिन्दी' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((l) => l.code);

/** A patient who was not asked (the column is null) reads the clinic's language. */
export const CLINIC_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

/** "Hindi (हिन्दी)", or "English": the English name first, so typing "h" in a list picks Hindi. */
export function languageLabel(code: LanguageCode): string {
  const l = LANGUAGES.find((x) => x.code === code)!;
  return l.nativeName === l.name ? l.name : `${l.name} (${l.nativeName})`;
}

/**
 * What the prescription prints for a patient's language: English always (the pharmacist reads
 * it), with the patient's language alongside when it is not English.
 */
export type PrintLanguage = 'en' | 'en+hi';
export const PRINT_LANGUAGE: Record<LanguageCode, PrintLanguage> = { en: 'en', hi: 'en+hi' };

/** Whether the patient's things are printed with Hindi labels beside the English ones. */
export function readsHindi(code: LanguageCode | null | undefined): boolean {
  return code === 'hi';
}
