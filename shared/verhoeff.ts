/**
 * The Verhoeff check digit, which UIDAI uses as the last digit of every Aadhaar number: a typo in
 * one digit or two swapped neighbours always fails it, so reception hears about a mistyped Aadhaar
 * at once instead of after ABDM (and UIDAI) refused it. Pure; both ends use it.
 */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** True when the digit string ends in its Verhoeff check digit. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  const rev = digits.split('').reverse();
  for (let i = 0; i < rev.length; i++) c = D[c]![P[i % 8]![Number(rev[i])]!]!;
  return c === 0;
}

/** The check digit to append to `digits` (for tests and the simulator's made-up Aadhaar numbers). */
export function verhoeffDigit(digits: string): string {
  let c = 0;
  const rev = digits.split('').reverse();
  for (let i = 0; i < rev.length; i++) c = D[c]![P[(i + 1) % 8]![Number(rev[i])]!]!;
  return String(INV[c]);
}

/**
 * An Aadhaar number as typed (spaces or dashes between the 4-4-4 groups allowed) -> its 12 digits,
 * or why not, in words for the person at the desk. UIDAI never issues one starting with 0 or 1.
 */
export function aadhaarProblem(typed: string): string | null {
  const d = typed.replace(/[\s-]/g, '');
  if (!/^\d{12}$/.test(d)) return 'Aadhaar number: enter the 12 digits printed on the Aadhaar card';
  if (/^[01]/.test(d)) return 'Aadhaar number: no Aadhaar number starts with 0 or 1; check the card';
  if (!verhoeffValid(d)) return 'Aadhaar number: one digit is wrong or two are swapped (the check digit does not match); check the card';
  return null;
}
