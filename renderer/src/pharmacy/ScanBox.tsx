import { Kbd, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { today as todayIn } from '../format';
import { useSession } from '../session';
import { matchScan, type DraftLine, type Rx, type VisitView } from './dispense-draft';

/**
 * The barcode box: a keyboard-wedge scanner types the code and Enter ends it. The batch is chosen
 * for the line it belongs to, or the box says which drug and batch it is and why it cannot be used.
 * Focused when the prescription opens, so a scan needs no click.
 */
export function ScanBox({ rx, view, draft, onSelect }: { rx: Rx; view: VisitView; draft: DraftLine[]; onSelect: (line: number, drugId: string, batchId: string | null) => void }) {
  const { timeZone } = useSession();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function scan(raw: string) {
    const value = raw.trim();
    if (!value) return;
    setCode('');
    const r = await call('pharmacy.scan', { code: value });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    const m = matchScan(rx, view, draft, r.value);
    if (m.kind === 'line') {
      onSelect(m.index, m.drugId, m.batchId);
      return setMessage({ ok: true, text: m.text });
    }
    setMessage({ ok: false, text: await refusal(r.value, m.kind === 'unusable' ? m.choice.label : null, todayIn(timeZone)) });
  }

  return (
    <div style={{ minWidth: 320 }}>
      <TextInput
        label={
          <span>
            Scan <Kbd size="xs">Enter</Kbd>
          </span>
        }
        placeholder="Scan or type a batch barcode"
        value={code}
        autoFocus
        data-testid="scan-box"
        onChange={(e) => setCode(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            void scan(code);
          }
        }}
      />
      {message && (
        <Text size="xs" c={message.ok ? 'teal' : 'red'} mt={2} role="status" maw={420}>
          {message.text}
        </Text>
      )}
    </div>
  );
}

/** Why a scanned code cannot go on this prescription, naming the drug and batch. */
async function refusal(scan: { drugId: string; batchId: string | null }, label: string | null, today: string): Promise<string> {
  const drug = await call('formulary.get', { id: scan.drugId });
  const name = label ?? (drug.ok && drug.value ? [drug.value.brandNames[0] ?? drug.value.genericName, drug.value.strength].filter(Boolean).join(' ') : 'This drug');
  const stock = await call('pharmacy.stock', { drugId: scan.drugId });
  const batch = stock.ok ? stock.value.batches.find((b) => b.batchId === scan.batchId) : undefined;
  const which = batch ? `${name}, batch ${batch.batchNumber} (exp ${batch.expiry})` : name;
  if (!label) return `${which} is not on this prescription.`;
  if (batch && batch.expiry < today) return `${which} has expired: it cannot be dispensed.`;
  return `${which} has no stock on hand (${batch?.onHand ?? 0}).`;
}
