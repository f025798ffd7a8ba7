import type { PrescriptionItem } from '../../../db/schema';
import { durationWords, parseFrequency, routeWords, timingWords } from '../../../shared/dosage';
import { maxPerDayWords } from '../../../shared/dose-words';
import { dispenseQuantity, stepItems } from '../prescription-fhir-steps';
import { PROFILE, ref, SNOMED, UCUM, type Json, type Resource } from '../fhir';

/*
 * A prescription item as a MedicationRequest (NRCeS MedicationRequest, IG 6.5.0), shared by the
 * PrescriptionRecord and the OPConsultRecord.
 */

/** SNOMED CT routes of administration, keyed as prescriptions write the route. */
const ROUTES: Record<string, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route' },
  po: { code: '26643006', display: 'Oral route' },
  topical: { code: '6064005', display: 'Topical route' },
  local: { code: '6064005', display: 'Topical route' },
  inhalation: { code: '447694001', display: 'Respiratory tract route' },
  inhaled: { code: '447694001', display: 'Respiratory tract route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  eye: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  ear: { code: '10547007', display: 'Otic route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  im: { code: '78421000', display: 'Intramuscular route' },
  intramuscular: { code: '78421000', display: 'Intramuscular route' },
  iv: { code: '47625008', display: 'Intravenous route' },
  intravenous: { code: '47625008', display: 'Intravenous route' },
  sc: { code: '34206005', display: 'Subcutaneous route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
};

/** FHIR event-timing codes for the morning-afternoon(-evening)-night pattern and meal timing. */
const SLOTS_3 = ['MORN', 'AFT', 'NIGHT'];
const SLOTS_4 = ['MORN', 'AFT', 'EVE', 'NIGHT'];
const MEAL_WHEN: Partial<Record<PrescriptionItem['timing'], string>> = { 'before-food': 'AC', 'after-food': 'PC', 'with-food': 'C', bedtime: 'HS' };

export const days = (value: number): Json => ({ value, unit: value === 1 ? 'day' : 'days', system: UCUM, code: 'd' });

/** "PARACETAMOL 500 mg tablet": the generic name in capitals (NMC), its strength and form. */
export function medicationText(item: Pick<PrescriptionItem, 'genericName' | 'strength' | 'form'>): string {
  return [item.genericName.trim().toUpperCase(), item.strength?.trim() ?? '', item.form.trim()].filter((s) => s !== '').join(' ');
}

/** "1 tablet, 1-0-1 (morning and night), after food, for 5 days": the words the printed prescription uses. */
export function dosageText(item: PrescriptionItem): string {
  const freq = parseFrequency(item.frequency);
  return [
    item.dose.trim(),
    freq?.shorthand ? `${freq.shorthand} (${freq.en})` : item.frequency.trim(),
    timingWords(item.timing, 'en'),
    maxPerDayWords(item, 'en') ?? '',
    routeWords(item.route, 'en'),
    durationWords(item.durationDays, 'en'),
  ]
    .filter((p) => p !== '')
    .join(', ');
}

/** The structured schedule where the frequency is understood; null when it is not. */
function timingOf(item: PrescriptionItem): { timing: Json | null; asNeeded: boolean } {
  const freq = parseFrequency(item.frequency);
  if (!freq) return { timing: null, asNeeded: false };
  const code = { text: freq.shorthand ?? item.frequency.trim() };
  const bounds: Record<string, Json> = item.durationDays ? { boundsDuration: days(item.durationDays) } : {};
  const meal = MEAL_WHEN[item.timing];
  const shorthand = freq.shorthand ?? '';
  if (freq.perDay === null) {
    if (shorthand === 'SOS' || shorthand === 'PRN' || freq.en === 'when needed') return { timing: { code, ...(item.durationDays ? { repeat: bounds } : {}) }, asNeeded: true };
    if (shorthand === 'STAT' || freq.en === 'immediately, once') return { timing: { code, repeat: { count: 1 } }, asNeeded: false };
    if (freq.en === 'once a week') return { timing: { code, repeat: { ...bounds, frequency: 1, period: 1, periodUnit: 'wk' } }, asNeeded: false };
    return { timing: { code }, asNeeded: false };
  }
  const parts = shorthand.includes('-') ? shorthand.split('-') : null;
  if (parts) {
    // 1-0-1: a dose at each slot whose amount is not 0.
    const slots = parts.length === 4 ? SLOTS_4 : SLOTS_3;
    const when = parts.flatMap((p, i) => (/^0+(\.0+)?$/.test(p) ? [] : [slots[i] ?? '']));
    return { timing: { code, repeat: { ...bounds, frequency: when.length, period: 1, periodUnit: 'd', when } }, asNeeded: false };
  }
  const hourly = /^Q(\d{1,2})H$/.exec(shorthand);
  if (hourly) return { timing: { code, repeat: { ...bounds, frequency: 1, period: Number(hourly[1]), periodUnit: 'h' } }, asNeeded: false };
  if (freq.perDay < 1) {
    // Alternate days: once every 2 days.
    return { timing: { code, repeat: { ...bounds, frequency: 1, period: Math.round(1 / freq.perDay), periodUnit: 'd' } }, asNeeded: false };
  }
  const when = shorthand === 'HS' || freq.en === 'at bedtime' ? ['HS'] : freq.en === 'at night' ? ['NIGHT'] : freq.en === 'in the morning' ? ['MORN'] : meal ? [meal] : [];
  return {
    timing: { code, repeat: { ...bounds, frequency: freq.perDay, period: 1, periodUnit: 'd', ...(when.length > 0 ? { when } : {}) } },
    asNeeded: false,
  };
}

function routeOf(route: string): Json {
  const known = ROUTES[route.trim().toLowerCase()];
  return known ? { coding: [{ system: SNOMED, code: known.code, display: known.display }], text: route.trim() } : { text: route.trim() };
}

export interface RequestRefs {
  id: string;
  rxNumber: string;
  index: number;
  patient: Json;
  practitioner: Json;
  authoredOn: string;
  reasons: string[];
}

/**
 * The drug as the profile allows it: the profile fixes medication coding to SNOMED CT, and the
 * formulary holds no SNOMED CT codes (its codes are Jan Aushadhi product codes), so the drug is
 * named in text only: generic name, strength and form. Never an empty or non-SNOMED coding.
 */
export function medicationConcept(item: PrescriptionItem): Json {
  return { text: medicationText(item) };
}

/** One Dosage: the words, the structured schedule where understood, the dose, an SOS item's maximum a day. */
function dosageOf(item: PrescriptionItem, sequence: number): Record<string, Json> {
  const { timing, asNeeded } = timingOf(item);
  // The dose is free text ("1 tablet", "thin layer"), always in `text`; also a quantity when it starts with a number.
  const amount = /^(\d+(?:\.\d+)?)\s*(.*)$/.exec(item.dose.trim());
  const max = amount?.[1] && item.maxPerDay ? { value: Number(amount[1]) * item.maxPerDay, ...(amount[2] ? { unit: amount[2] } : {}) } : null;
  return {
    sequence,
    text: dosageText(item),
    ...(item.timing !== 'any' ? { additionalInstruction: [{ text: timingWords(item.timing, 'en') }] } : {}),
    ...(item.instructions?.trim() ? { patientInstruction: item.instructions.trim() } : {}),
    ...(timing ? { timing } : {}),
    ...(asNeeded ? { asNeededBoolean: true } : {}),
    route: routeOf(item.route),
    ...(amount?.[1] ? { doseAndRate: [{ doseQuantity: { value: Number(amount[1]), ...(amount[2] ? { unit: amount[2] } : {}) } }] } : {}),
    ...(max ? { maxDosePerPeriod: { numerator: max, denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' } } } : {}),
  };
}

/** One prescription item as a MedicationRequest; a taper is one Dosage per step, in order (FHIR `sequence`). */
export function medicationRequestResource(item: PrescriptionItem, r: RequestRefs): Resource {
  const dispense: Record<string, Json> = {};
  if (item.quantity !== null) dispense.quantity = dispenseQuantity(item);
  if (item.durationDays !== null) dispense.expectedSupplyDuration = days(item.durationDays);
  return {
    resourceType: 'MedicationRequest',
    id: r.id,
    meta: { profile: [`${PROFILE}/MedicationRequest`] },
    identifier: [{ system: 'urn:clinic-workstation:rx-item', value: `${r.rxNumber}/${r.index + 1}` }],
    groupIdentifier: { system: 'urn:clinic-workstation:rx', value: r.rxNumber },
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: medicationConcept(item),
    subject: r.patient,
    authoredOn: r.authoredOn,
    requester: r.practitioner,
    ...(r.reasons.length > 0 ? { reasonReference: r.reasons.map((c) => ref(c)) } : {}),
    ...(item.brand?.trim() ? { note: [{ text: `Brand: ${item.brand.trim()}` }] } : {}),
    dosageInstruction: stepItems(item).map((step, k) => dosageOf(step, k + 1)),
    ...(Object.keys(dispense).length > 0 ? { dispenseRequest: dispense } : {}),
  };
}
