import { Button, Checkbox, Group, Paper, SimpleGrid, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';

export type Supplier = Output<'pharmacy.suppliers'>[number];

/** The service's GSTIN rule: state code, PAN, entity number, Z, check character. */
const GSTIN = /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

interface Draft {
  name: string;
  gstin: string;
  licence1: string;
  licence2: string;
  phone: string;
  address: string;
  active: boolean;
}

const draftOf = (s: Supplier | null): Draft => ({
  name: s?.name ?? '',
  gstin: s?.gstin ?? '',
  licence1: s?.drugLicences[0] ?? '',
  licence2: s?.drugLicences[1] ?? '',
  phone: s?.phone ?? '',
  address: s?.address ?? '',
  active: s?.active ?? true,
});

/** What the screen checks before asking: the same rules as the service, so most mistakes show at once. */
function check(d: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = 'Supplier name is required';
  const gstin = d.gstin.trim().toUpperCase();
  if (gstin && !GSTIN.test(gstin)) errors.gstin = 'GSTIN must be 15 characters: state code, PAN, entity, Z, check character';
  return errors;
}

/**
 * A supplier: name, GSTIN, the drug licence numbers (wholesale licences 20B and 21B), phone and
 * address. Adds one (no supplier given) or edits it; Enter saves, Escape cancels.
 */
export function SupplierForm({ supplier, onSaved, onCancel, title }: { supplier: Supplier | null; onSaved: (s: Supplier) => void; onCancel: () => void; title: string }) {
  const [d, setD] = useState<Draft>(() => draftOf(supplier));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, saving, run } = useApiSubmit({ setErrors });
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });

  async function save(e?: React.SyntheticEvent) {
    e?.preventDefault();
    e?.stopPropagation();
    const found = check(d);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const licences = [d.licence1, d.licence2].map((l) => l.trim()).filter(Boolean);
    const saved = await run(() =>
      call('pharmacy.saveSupplier', { id: supplier?.id ?? null, name: d.name.trim(), gstin: d.gstin.trim() || null, drugLicences: licences, phone: d.phone.trim() || null, address: d.address.trim() || null, active: d.active }),
    );
    if (saved) onSaved(saved);
  }

  return (
    <Paper withBorder p="sm" component="form" aria-label={title} noValidate onSubmit={(e) => void save(e)} onKeyDown={(e) => {
      if (e.key === 'Escape') { e.stopPropagation(); onCancel(); }
      // Enter saves the supplier, never the purchase around the form.
      if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) void save(e);
    }}>
      <Title order={5} mb={4}>{title}</Title>
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="xs" verticalSpacing={4}>
        <TextInput label="Supplier name" required data-autofocus autoFocus value={d.name} error={errors.name} onChange={(e) => set({ name: e.currentTarget.value })} />
        <TextInput label="GSTIN" value={d.gstin} error={errors.gstin} maxLength={15} placeholder="27AAACP1234A1Z5" onChange={(e) => set({ gstin: e.currentTarget.value.toUpperCase() })} />
        <TextInput label="Phone" value={d.phone} error={errors.phone} onChange={(e) => set({ phone: e.currentTarget.value })} />
        <TextInput label="Drug licence no. (20B)" value={d.licence1} error={errors['drugLicences.0']} onChange={(e) => set({ licence1: e.currentTarget.value })} />
        <TextInput label="Drug licence no. (21B)" value={d.licence2} error={errors['drugLicences.1']} onChange={(e) => set({ licence2: e.currentTarget.value })} />
        <TextInput label="Address" value={d.address} error={errors.address} onChange={(e) => set({ address: e.currentTarget.value })} />
      </SimpleGrid>
      {supplier && <Checkbox mt="xs" label="Active (offered when entering purchases)" checked={d.active} onChange={(e) => set({ active: e.currentTarget.checked })} />}
      <FormError error={error} mt="xs" />
      <Group justify="flex-end" mt="xs" gap="xs">
        <Button size="xs" variant="default" onClick={onCancel}>Cancel</Button>
        <Button size="xs" type="submit" loading={saving}>Save supplier</Button>
      </Group>
    </Paper>
  );
}
