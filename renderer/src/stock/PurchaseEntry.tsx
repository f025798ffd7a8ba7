import { Button, Group, Kbd, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { PurchaseLineEntry } from './PurchaseLineEntry';
import { PurchaseLines, SavedPurchase } from './PurchaseLines';
import { SupplierForm } from './SupplierForm';
import { usePurchaseDraft } from './usePurchaseDraft';

/**
 * Goods received against a supplier's invoice, by keyboard: the supplier (or a new one, Alt+N),
 * their invoice number and date, then a line per batch (scan or pick, Enter adds it), Ctrl+Enter
 * saves. The running totals are worked out by the service's own function; after saving, the
 * service's figures are shown.
 */
export function PurchaseEntry({ today }: { today: string }) {
  const p = usePurchaseDraft(today);
  const suppliers = useMethod('pharmacy.suppliers', {});
  const [adding, setAdding] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);
  const active = (suppliers.data ?? []).filter((s) => s.active || s.id === p.supplierId);
  const supplierName = active.find((s) => s.id === p.supplierId)?.name ?? '';
  const save = () => void p.save(supplierName).then((ok) => ok && scanRef.current?.focus());
  useHotkeys([['alt+N', () => setAdding(true)]], []);

  return (
    <Stack gap="xs" component="section" aria-label="New purchase" onKeyDown={(e) => {
      // A held Ctrl+Enter repeats: the repeats are not new saves.
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (!e.repeat) save(); }
    }}>
      <Group justify="space-between">
        <Title order={4}>New purchase</Title>
        <Text size="sm" c="dimmed">Enter adds the line · <Kbd size="xs">Ctrl+Enter</Kbd> saves the purchase</Text>
      </Group>
      <Group align="flex-start" gap="sm">
        <NativeSelect
          label="Supplier"
          w={320}
          value={p.supplierId ?? ''}
          error={p.headErrors.supplierId}
          data={[{ value: '', label: suppliers.isLoading ? 'Loading…' : 'Choose the supplier' }, ...active.map((s) => ({ value: s.id, label: s.gstin ? `${s.name} (${s.gstin})` : s.name }))]}
          onChange={(e) => p.setSupplierId(e.currentTarget.value || null)}
        />
        <Button mt={25} variant="default" onClick={() => setAdding(true)}>
          New supplier <Kbd size="xs" ml={6}>Alt+N</Kbd>
        </Button>
        <TextInput label="Supplier invoice no." value={p.invoice} error={p.headErrors.supplierInvoice} onChange={(e) => p.setInvoice(e.currentTarget.value)} />
        <TextInput label="Invoice date" type="date" value={p.invoiceDate} max={today} error={p.headErrors.invoiceDate} onChange={(e) => p.setInvoiceDate(e.currentTarget.value)} />
      </Group>
      {adding && (
        <SupplierForm
          title="New supplier"
          supplier={null}
          onCancel={() => setAdding(false)}
          onSaved={(s) => {
            setAdding(false);
            p.setSupplierId(s.id);
            void suppliers.refetch();
          }}
        />
      )}
      <PurchaseLineEntry draft={p.entry} errors={p.entryErrors} onChange={p.setEntry} onAdd={() => p.addEntry() && scanRef.current?.focus()} scanRef={scanRef} />
      <PurchaseLines lines={p.lines} errors={p.lineErrors} onEdit={p.edit} onRemove={p.remove} />
      {p.headErrors.lines && <Text size="sm" c="red" role="alert">{p.headErrors.lines}</Text>}
      <FormError error={p.submit.error} />
      <Group justify="flex-end">
        <Button onClick={save} loading={p.submit.saving}>
          Save purchase <Kbd size="xs" ml={6}>Ctrl+Enter</Kbd>
        </Button>
      </Group>
      {p.saved && <SavedPurchase saved={p.saved} />}
    </Stack>
  );
}
