/** The formulary: drug search, clinic-added drugs and the Jan Aushadhi import. Callers import from here. */
export { DRUG_ROUTES, toDrugView, type DrugSchedule, type DrugView } from './drugs';
export { getDrug, searchDrugs } from './search';
export { formPreference, searchPatientOf, type FormPreference } from './patient-forms';
export { upsertClinicDrug, type ClinicDrugInput } from './clinic-drugs';
export { parseProductName, type ParsedProduct } from './product-names';
export { guessClasses, guessSchedule } from './classes';
export { importedDrugId, importJanAushadhiCsv, janAushadhiRow, rupeesToPaise, type JanAushadhiImportResult } from './jan-aushadhi';
