import { openDocument } from '../counter-page';
import { doctorTitle } from '../format';
import type { Doc } from '../text';
import type { Geometry } from './geometry';
import type { PrescriptionDoc } from './types';

/** The PDF document with its fonts, and the bytes it ends as; dated with the prescription's date (same input, same bytes). */
export function openPrescriptionDocument(g: Geometry, rx: PrescriptionDoc): { doc: Doc; done: Promise<Buffer> } {
  return openDocument(g, { title: `Prescription ${rx.rxNumber}`, author: doctorTitle(rx.doctor.name), date: rx.date });
}
