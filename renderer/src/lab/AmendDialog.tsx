import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import type { LabRow } from './LabScreen';

/**
 * Correcting a verified result (docs/LAB.md): the old value stays on record and on the report
 * ("amended; was …"), so the dialog shows it, asks the new value and why, and the order goes back
 * to be verified again.
 */
export function AmendDialog({ row, opened, onClose, onDone }: { row: LabRow; opened: boolean; onClose: () => void; onDone: (text: string) => void }) {
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const old = row.result ? `${row.result.value} ${row.result.unit ?? ''}`.trim() : '—';
  const save = async () => {
    const missing: Record<string, string> = {};
    if (value.trim() === '') missing.value = 'Type the corrected result';
    if (reason.trim() === '') missing.reason = 'Say why the verified result is corrected';
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    const r = await call('labs.recordResult', { orderId: row.orderId, value: value.trim(), reason: reason.trim() });
    setBusy(false);
    if (!r.ok) {
      setErrors({ value: r.error.fields?.value ?? '', reason: r.error.fields?.reason ?? '', form: r.error.fields ? '' : r.error.message });
      return;
    }
    setValue('');
    setReason('');
    onDone(`${row.testName} for ${row.patientName} amended: ${old} → ${value.trim()} ${row.unit ?? ''}. It waits to be verified again.`);
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Amend ${row.testName} for ${row.patientName}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            Verified result: <b data-testid="amend-old">{old}</b>
            {row.verifiedBy ? ` (verified by ${row.verifiedBy})` : ''}
          </Text>
          <TextInput label={`Corrected result${row.unit ? ` (${row.unit})` : ''}`} data-autofocus withAsterisk value={value} onChange={(e) => {
              setValue(e.currentTarget.value);
              setErrors((x) => ({ ...x, value: '' }));
            }} error={errors.value || undefined} />
          <TextInput label="Reason for the amendment" withAsterisk value={reason} onChange={(e) => {
              setReason(e.currentTarget.value);
              setErrors((x) => ({ ...x, reason: '' }));
            }} error={errors.reason || undefined} placeholder="e.g. transcription error" />
          {errors.form && (
            <Text c="red" size="sm" role="alert">
              {errors.form}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            The old value stays on the record and the report; a doctor verifies the new one.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={busy}>
              Amend
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
