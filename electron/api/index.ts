import type { z } from 'zod';
import { abdmMethods } from './abdm';
import { abhaCreateMethods } from './abha-create';
import { abdmPanelMethods } from './abdm-panel';
import { appointmentMethods } from './appointments';
import { attachmentMethods } from './attachments';
import { auditMethods } from './audit';
import { authMethods } from './auth';
import { backupMethods } from './backups';
import { billingMethods } from './billing';
import { billingDeskMethods } from './billing-desk';
import { certificateMethods } from './certificates';
import { abdmShareMethods } from './abdm-shares';
import { mergeRoutes } from './contract';
import { consultationMethods } from './consultations';
import { displayMethods } from './display';
import { doctorMethods } from './doctors';
import { facilityMethods } from './facility';
import { fhirMethods } from './fhir';
import { fileMethods } from './files';
import { formularyMethods } from './formulary';
import { jobMethods } from './jobs';
import { labMethods } from './labs';
import { patientMethods } from './patients';
import { pharmacyMethods } from './pharmacy';
import { pharmacyDeskMethods } from './pharmacy-desk';
import { pharmacyDispenseMethods } from './pharmacy-dispense';
import { pharmacyReportMethods } from './pharmacy-reports';
import { pharmacyStockMethods } from './pharmacy-stock';
import { prescriptionMethods } from './prescriptions';
import { printingMethods } from './printing';
import { queueMethods } from './queue';
import { referenceMethods } from './reference';
import { reportMethods } from './reports';
import { settingsMethods } from './settings';
import { setupMethods } from './setup';
import { staffMethods } from './staff';
import { syncMethods } from './sync';
import { templateMethods } from './templates';

/** THE contract: every method the renderer can call, across both transports. */
export const routes = mergeRoutes(
  setupMethods,
  authMethods,
  staffMethods,
  auditMethods,
  settingsMethods,
  displayMethods,
  patientMethods,
  doctorMethods,
  appointmentMethods,
  queueMethods,
  jobMethods,
  fileMethods,
  consultationMethods,
  labMethods,
  templateMethods,
  referenceMethods,
  facilityMethods,
  formularyMethods,
  prescriptionMethods,
  fhirMethods,
  printingMethods,
  syncMethods,
  billingMethods,
  billingDeskMethods,
  backupMethods,
  reportMethods,
  certificateMethods,
  pharmacyMethods,
  pharmacyDispenseMethods,
  pharmacyReportMethods,
  pharmacyDeskMethods,
  pharmacyStockMethods,
  abdmShareMethods,
  abdmMethods,
  abhaCreateMethods,
  abdmPanelMethods,
  attachmentMethods,
);

export type Routes = typeof routes;
export type MethodName = Extract<keyof Routes, string>;

/** What a caller sends and gets back for a method, derived from its declaration. */
export type Input<M extends MethodName> = z.input<Routes[M]['input']>;
export type Output<M extends MethodName> = ReturnType<Routes[M]['run']>;
