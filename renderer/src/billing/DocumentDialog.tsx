import { Alert, Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { downloadJobDocument, waitForJob } from '../api/jobs';
import type { CashTyped } from './day-end-cash';

export interface DocumentRequest {
  kind: 'invoice' | 'receipt' | 'dayend' | 'credit-note';
  /** Invoice id, payment id, credit note id, or the date of the day-end. */
  id: string;
  /** For an open day's PDF: the opening cash and the count as typed on the screen. */
  cash?: CashTyped | null | undefined;
}

const TITLES = { invoice: 'Invoice', receipt: 'Receipt', dayend: 'Day-end report', 'credit-note': 'Credit note / refund voucher' } as const;

/** Starts the job that prints the document or makes its PDF. */
function requestDocument(request: DocumentRequest, action: 'print' | 'pdf', p: string | null) {
  switch (request.kind) {
    case 'credit-note':
      return action === 'print' ? call('billing.printCreditNote', { creditNoteId: request.id, printer: p }) : call('billing.creditNotePdf', { creditNoteId: request.id });
    case 'invoice':
      return action === 'print' ? call('billing.printInvoice', { invoiceId: request.id, printer: p }) : call('billing.invoicePdf', { invoiceId: request.id });
    case 'receipt':
      return action === 'print' ? call('billing.printReceipt', { paymentId: request.id, printer: p }) : call('billing.receiptPdf', { paymentId: request.id });
    case 'dayend':
      return call('billing.dayEndPdf', { date: request.id, ...(request.cash ?? {}) });
  }
}

/** Print a billing document on a printer, or save it as PDF; both run in the background. */
export function DocumentDialog({ request, onClose }: { request: DocumentRequest | null; onClose: () => void }) {
  const printers = useMethod('printers.list', {});
  const [printer, setPrinter] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start(action: 'print' | 'pdf') {
    if (!request) return;
    setError(null);
    setStatus('Working…');
    const p = printer || null;
    const r = await requestDocument(request, action, p);
    if (!r.ok) {
      setStatus(null);
      return setError(r.error.message);
    }
    const job = await waitForJob(r.value.id);
    if (job.status === 'failed') {
      setStatus(null);
      return setError(job.message);
    }
    const result = job.result ?? {};
    if (action !== 'print') {
      const failed = await downloadJobDocument(job);
      if (failed) {
        setStatus(null);
        return setError(failed);
      }
    }
    setStatus(action === 'print' ? `Sent to ${typeof result.printer === 'string' ? result.printer : 'the printer'}` : 'PDF saved');
  }

  return (
    <Modal opened={request !== null} onClose={onClose} title={request ? TITLES[request.kind] : ''} centered>
      <Stack>
        {request?.kind !== 'dayend' && (
          <NativeSelect
            label="Printer"
            value={printer}
            onChange={(e) => setPrinter(e.currentTarget.value)}
            data={[{ value: '', label: 'Default printer' }, ...(printers.data ?? []).map((p) => ({ value: p.name, label: p.name }))]}
          />
        )}
        <Group>
          {/* The main action is focused on open, so Enter prints (the day-end report is only saved). */}
          {request?.kind !== 'dayend' && (
            <Button data-autofocus onClick={() => void start('print')}>
              Print
            </Button>
          )}
          <Button variant="default" data-autofocus={request?.kind === 'dayend' ? true : undefined} onClick={() => void start('pdf')}>
            Save as PDF
          </Button>
        </Group>
        {status && (
          <Text size="sm" data-testid="document-status">
            {status}
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}
