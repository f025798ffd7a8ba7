import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A bill handed over by another screen (the pharmacy's Bill): `?visit=` bills that visit from its
 * suggestion, `?patient=&invoice=` opens a bill already made. Read once, then cleared from the
 * address so a reload or going back does not make a second bill.
 */
export function useBillHandOff(handlers: { visit: (visitId: string) => void; invoice: (patientId: string, invoiceId: string) => void }) {
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
    if (visit) handlers.visit(visit);
    else if (patient && invoice) handlers.invoice(patient, invoice);
  }, [params, setParams, handlers]);
}
