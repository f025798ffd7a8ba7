/** The paper sizes prescriptions, invoices, receipts and reports print on. */
export const PAPERS = ['A4', 'A5'] as const;
export type Paper = (typeof PAPERS)[number];
