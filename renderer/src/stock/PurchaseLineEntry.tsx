import { Button, Group, Kbd, NativeSelect, Paper, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { rupees } from '../billing/money';
import { SearchAsYouType, useSearchQuery } from '../SearchAsYouType';
import { expiryOf, GST_OPTIONS, LABELS, type LineDraft, type LineField } from './purchase-draft';

type Drug = Output<'formulary.search'>[number];

export const drugText = (d: { genericName: string; strength: string | null; form: string }) => [d.genericName.toUpperCase(), d.strength, d.form].filter(Boolean).join(' ');

/** "10's", "10 tablets" → "10": the formulary's pack as the units a pack holds, when it says. */
const unitsOfPack = (pack: string | null) => /^\s*(\d{1,5})\b/.exec(pack ?? '')?.[1] ?? '';

/**
 * The line being typed: a scanned barcode (a keyboard-wedge scanner types it and presses Enter)
 * fills the drug and, for a batch already held, its batch, expiry, prices and pack; otherwise pick
 * the drug and type the batch off the strip. Enter in any box adds the line.
 */
// Long by design: the scan, the drug pick and the eleven boxes of one line move the cursor between each other.
export function PurchaseLineEntry({ draft, errors, onChange, onAdd, scanRef }: {
  draft: LineDraft;
  errors: Partial<Record<LineField, string>>;
  onChange: (patch: Partial<LineDraft>) => void;
  onAdd: () => void;
  scanRef: React.RefObject<HTMLInputElement | null>;
}) {
  const drugRef = useRef<HTMLInputElement>(null);
  const batchRef = useRef<HTMLInputElement>(null);
  const packsRef = useRef<HTMLInputElement>(null);
  const [scanned, setScanned] = useState<{ code: string; note: string } | null>(null);
  const search = useSearchQuery(100);
  const results = useMethod('formulary.search', { query: search.query, limit: 8 }, { enabled: search.ready });

  function pickDrug(d: Drug) {
    onChange({ drugId: d.id, drugLabel: drugText(d), packSize: draft.packSize || unitsOfPack(d.packSize) });
    batchRef.current?.focus();
  }

  async function scan(code: string) {
    const found = await call('pharmacy.scan', { code });
    if (!found.ok) {
      onChange({ barcode: code });
      setScanned({ code, note: `${code} is new: pick the drug; the new batch keeps this barcode.` });
      return drugRef.current?.focus();
    }
    const drug = await call('formulary.get', { id: found.value.drugId });
    const label = drug.ok ? drugText(drug.value) : '';
    const batch = found.value.batchId ? await call('pharmacy.stock', { drugId: found.value.drugId }) : null;
    const known = batch?.ok ? batch.value.batches.find((b) => b.batchId === found.value.batchId) : undefined;
    if (known) {
      onChange({ drugId: found.value.drugId, drugLabel: label, barcode: '', batchNumber: known.batchNumber, expiry: known.expiry, packSize: String(known.packSize), rate: rupees(known.purchaseRatePaise), mrp: rupees(known.mrpPaise), gst: String(known.gstRateBp), hsn: known.hsnCode ?? '' });
      setScanned({ code, note: `Batch ${known.batchNumber} of ${label}: type the packs received.` });
      return packsRef.current?.focus();
    }
    onChange({ drugId: found.value.drugId, drugLabel: label, barcode: '', packSize: draft.packSize || (drug.ok ? unitsOfPack(drug.value.packSize) : '') });
    setScanned({ code, note: `${label}: type the batch number off the strip.` });
    batchRef.current?.focus();
  }

  // Enter adds the line, except where Enter already means something (a scan, a drug pick, the GST list).
  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.defaultPrevented || target === scanRef.current || target === drugRef.current || target instanceof HTMLButtonElement) return;
    e.preventDefault();
    onAdd();
  }

  const box = (field: LineField, key: keyof LineDraft, props: Partial<React.ComponentProps<typeof TextInput>> = {}) => (
    <TextInput label={LABELS[field]} value={draft[key]} error={errors[field]} onChange={(e) => onChange({ [key]: e.currentTarget.value })} {...props} />
  );
  const expiry = expiryOf(draft.expiry);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Line being entered" onKeyDown={onKeyDown}>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" verticalSpacing={4}>
        <TextInput
          ref={scanRef}
          label="Scan barcode"
          placeholder="Scan, or type and press Enter"
          onKeyDown={(e) => {
            const code = e.currentTarget.value.trim();
            if (e.key !== 'Enter' || e.ctrlKey || !code) return;
            e.preventDefault();
            e.currentTarget.value = '';
            void scan(code);
          }}
          description={scanned ? scanned.note : ' '}
        />
        <div style={{ gridColumn: 'span 3' }}>
          <SearchAsYouType
            search={search}
            results={results}
            inputRef={drugRef}
            label={draft.drugId ? `Drug: ${draft.drugLabel}` : 'Drug'}
            placeholder="Generic or brand name"
            listLabel="Drug matches"
            variant="rows"
            hitKey={(d) => d.id}
            renderHit={(d) => <Text size="sm">{drugText(d)}{d.brandNames.length > 0 && <Text span c="dimmed" size="xs">{` (${d.brandNames.join(', ')})`}</Text>}</Text>}
            onPick={pickDrug}
            noMatch={(q) => `No drug in the formulary matches “${q}”.`}
            clearOnPick
          />
          {errors.drugId && <Text size="xs" c="red">{errors.drugId}</Text>}
        </div>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 4, md: 10 }} spacing="xs" mt={4}>
        {box('batchNumber', 'batchNumber', { ref: batchRef })}
        {box('expiry', 'expiry', { placeholder: 'MM/YY', description: expiry && expiry !== draft.expiry.trim() ? expiry : undefined })}
        {box('packSize', 'packSize', { placeholder: 'units' })}
        {box('packs', 'packs', { ref: packsRef })}
        {box('freePacks', 'freePacks', { placeholder: '0' })}
        {box('ratePaise', 'rate', { placeholder: '₹ a pack' })}
        {box('mrpPaise', 'mrp', { placeholder: '₹ a pack' })}
        {box('discountBp', 'discount', { placeholder: '0' })}
        <NativeSelect label={LABELS.gstRateBp} data={GST_OPTIONS} value={draft.gst} error={errors.gstRateBp} onChange={(e) => onChange({ gst: e.currentTarget.value })} />
        {box('hsnCode', 'hsn', { placeholder: 'drug’s' })}
      </SimpleGrid>
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {draft.barcode ? `New barcode ${draft.barcode} goes on this batch. ` : ''}Expiry as printed (MM/YY is the month’s last day). Money per pack, before GST.
        </Text>
        <Button size="xs" variant="light" onClick={onAdd}>
          Add line <Kbd size="xs" ml={6}>Enter</Kbd>
        </Button>
      </Group>
    </Paper>
  );
}
