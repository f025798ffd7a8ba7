/**
 * The NRCeS FHIR IG 6.5.0 (https://nrces.in/ndhm/fhir/r4/) values the tests pin, written out here
 * from the guide rather than imported from the code under test.
 */
export const NRCES = 'https://nrces.in/ndhm/fhir/r4';
export const ID_TYPES = `${NRCES}/CodeSystem/ndhm-identifier-type-code`;
export const BILLING = `${NRCES}/CodeSystem/ndhm-billing-codes`;
export const PRICE = `${NRCES}/CodeSystem/ndhm-price-components`;
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
/** The guide's example systems for the ABDM registries. */
export const ABHA_SYSTEM = 'https://healthid.ndhm.gov.in';
export const HPR_SYSTEM = 'https://doctor.ndhm.gov.in';
/** The app's choices where the guide names no system (docs/FHIR.md). */
export const IMR = 'https://www.nmc.org.in/information-desk/indian-medical-register';
export const GST_HSN_SAC = 'https://services.gst.gov.in/services/searchhsnsac';

/** Every `reference` in a resource, for checking they all resolve inside the bundle. */
export function references(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => references(x, out));
  else if (v && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) {
      if (key === 'reference' && typeof x === 'string') out.push(x);
      else references(x, out);
    }
  }
  return out;
}
