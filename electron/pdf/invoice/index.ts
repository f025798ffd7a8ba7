/**
 * The printed invoice (a Tax Invoice, or a Bill of Supply when nothing on it carries GST) and the
 * payment receipt, as PDFs from plain data. Pure: no database and no clock; the PDF's creation
 * date is the document's date, so the same input gives the same bytes. Money arrives as integer
 * paise and is written by string formatting (shared/money.ts).
 *
 * NMC (2002 regulations 1.4.1): the doctor's registration number is on receipts, so the doctor's
 * block (name, qualifications, registration number and council) is in the letterhead of both.
 */
import { openDocument, pageGeometry } from '../counter-page';
import { PageFlow } from '../flow';
import { FONT } from '../fonts';
import type { InvoiceDoc, InvoicePdfOptions } from './types';
import { numberOf, titleOf, signatureBlock } from './common';
import { invoiceBlocks } from './invoice-body';
import { receiptBlocks } from './receipt-body';
import { creditNoteBlocks } from './credit-note-body';
import { pageHeader } from './header';
import { drawInvoiceFooters } from './footers';

export async function renderInvoicePdf(d: InvoiceDoc, options: InvoicePdfOptions): Promise<Buffer> {
  const g = pageGeometry(options.paper);
  const num = numberOf(d);
  const { doc, done } = openDocument(g, {
    title: `${titleOf(d)} ${num.value}`,
    author: d.clinic.name.trim(),
    date: d.date,
  });

  const header = pageHeader(doc, g, d);
  const flow = new PageFlow(doc, g, g.contentBottom, header);
  flow.newPage();
  const blocks = d.kind === 'invoice' ? invoiceBlocks(doc, g, d) : d.kind === 'credit-note' ? creditNoteBlocks(doc, g, d) : receiptBlocks(doc, g, d);
  blocks.push(signatureBlock(doc, g, d.clinic.name));
  flow.placeAll(blocks);

  drawInvoiceFooters(doc, g, d, flow);

  doc.font(FONT.regular);
  doc.end();
  return done;
}

export type {
  InvoiceClinic,
  InvoiceDoc,
  InvoiceDocLine,
  InvoiceDocPayment,
  InvoiceDocRefund,
  InvoiceDoctor,
  InvoicePatient,
  InvoicePdfOptions,
  ReceiptDoc,
  TaxInvoiceDoc,
  CreditNoteDoc,
  CreditNoteDocLine,
} from './types';
