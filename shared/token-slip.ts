import type { Priority } from './enums';
import type { LanguageCode } from './languages';

/**
 * The token slip's words, in English and, for a patient who reads Hindi, in Hindi beside them:
 * the slip is the patient's, so it speaks their language; the English stays for the staff.
 */
export interface SlipWords {
  token: string;
  doctor: string;
  date: string;
  /** The line at the foot of the slip. */
  wait: string;
  /** "URGENT", "EMERGENCY"; null for a regular patient. */
  priority: string | null;
}

const EN = {
  token: 'Token',
  doctor: 'Doctor',
  date: 'Date',
  wait: 'Please wait until your token is called.',
  priority: { regular: null, urgent: 'URGENT', emergency: 'EMERGENCY' },
} as const;

const HI = {
  token: 'टोकन',
  doctor: 'डॉक्टर',
  date: 'दिनांक',
  wait: 'कृपया अपना टोकन बुलाए जाने तक प्रतीक्षा करें।',
  priority: { regular: null, urgent: 'तत्काल', emergency: 'आपातकालीन' },
} as const;

export function slipWords(language: LanguageCode | null, priority: Priority): SlipWords {
  const both = (en: string, hi: string) => (language === 'hi' ? `${en} / ${hi}` : en);
  const urgent = EN.priority[priority];
  return {
    token: both(EN.token, HI.token),
    doctor: both(EN.doctor, HI.doctor),
    date: both(EN.date, HI.date),
    wait: language === 'hi' ? `${HI.wait} ${EN.wait}` : EN.wait,
    priority: urgent === null ? null : both(urgent, HI.priority[priority] ?? ''),
  };
}
