import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { call } from '../api/client';
import { handOffTarget } from './hand-off-target';

/**
 * A bill handed over by another screen (the pharmacy's Bill): `?visit=` bills that visit from its
 * suggestion, or opens its draft bill rather than making a second (an issued bill is not reopened: what
 * is left goes on a new bill); `?patient=&invoice=`
 * opens a bill already made. Read once, then cleared from the address so a reload or going back
 * does not make another bill.
 */
export function useBillHandOff(handlers: { visit: (visitId: string, patientId: string, doctorId: string) => void; invoice: (patientId: string, invoiceId: string) => void }) {
  const [params, setParams] = useSearchParams();
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    const visit = params.get('visit');
    const patient = params.get('patient');
    const invoice = params.get('invoice');
    if (!visit && !(patient && invoice)) return;
    done.current = true;
    setParams({}, { replace: true });
    if (patient && invoice) return handlers.invoice(patient, invoice);
    if (visit) void handOffVisit(visit, handlers);
  }, [params, setParams, handlers]);
}

async function handOffVisit(visitId: string, handlers: Parameters<typeof useBillHandOff>[0]) {
  const s = await call('billing.suggest', { visitId });
  if (!s.ok) return notifications.show({ color: 'red', message: s.error.message });
  const target = handOffTarget(s.value);
  if (target.kind === 'open') handlers.invoice(s.value.patientId, target.invoiceId);
  else handlers.visit(visitId, s.value.patientId, s.value.doctorId);
}
