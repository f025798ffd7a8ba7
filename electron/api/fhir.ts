import { z } from 'zod';
import { getConsultation } from '../services/consultations';
import { opConsultBundle } from '../services/fhir/op-consult';
import { method } from './contract';
import { id } from './fields';

/* ABDM FHIR documents of the clinical record (the PrescriptionRecord and InvoiceRecord sit with their domains). */

export const fhirMethods = {
  /** The ABDM OPConsultRecord document bundle (FHIR R4) of a completed visit; exports are audited clinical reads. */
  'consultations.fhir': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      // The visit must exist and the patient's record be open to this user (as for consultations.get).
      const { consultation, patient } = getConsultation(ctx, input.visitId);
      ctx.describe({ entityType: 'consultations', entityId: consultation?.id ?? input.visitId, detail: `FHIR OPConsultRecord export, patient ${patient.mrn}` });
      return opConsultBundle({ db: ctx.db, timeZone: ctx.settings.timeZone }, input.visitId);
    },
  }),
};
