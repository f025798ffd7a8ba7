import { Button, Group, Kbd, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { call, type Input, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { certificateProblems, daysInclusive } from '../../../shared/certificates';
import { addDays } from '../../../shared/clinic-time';
import { certificateLine } from './CertificateList';
import { useCertificateOutput } from './useCertificateOutput';

type Draft = Output<'certificates.draft'>;
type Issued = Output<'certificates.issue'>;
type Kind = Input<'certificates.issue'>['kind'];
type Language = 'en' | 'en+hi';

/** "Certificate…" in the doctor's visit: a medical (rest) or fitness certificate, issued with Ctrl+Enter, then printed. */
export function CertificateDialog({ visitId, opened, onClose }: { visitId: string; opened: boolean; onClose: () => void }) {
  const draft = useMethod('certificates.draft', { visitId });
  return (
    <Modal opened={opened} onClose={onClose} title="Certificate" size="lg" centered>
      {draft.data ? <CertificateForm key={visitId} draft={draft.data} onClose={onClose} /> : <Text c="dimmed">{draft.error?.message ?? 'Loading…'}</Text>}
    </Modal>
  );
}

function useCertificateForm(draft: Draft) {
  const [kind, setKind] = useState<Kind>('medical_leave');
  const [diagnosis, setDiagnosis] = useState(draft.diagnosis);
  const [restFrom, setRestFrom] = useState(draft.visitDate);
  const [restTo, setRestTo] = useState(addDays(draft.visitDate, 2));
  const [fitFrom, setFitFrom] = useState(addDays(draft.visitDate, 1));
  const [purpose, setPurpose] = useState('resume duty');
  const [remarks, setRemarks] = useState('');
  const [language, setLanguage] = useState<Language>(draft.language);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = useApiSubmit({ setErrors });
  const medical = kind === 'medical_leave';
  const input: Input<'certificates.issue'> = medical
    ? { visitId: draft.visitId, kind, diagnosis, restFrom, restTo, remarks: remarks || null, language }
    : { visitId: draft.visitId, kind, diagnosis, fitFrom, purpose, remarks: remarks || null, language };
  // The same rules the service applies, shown as the doctor types; the service decides.
  const hints = certificateProblems(medical ? { kind, restFrom, restTo } : { kind, fitFrom, purpose }, draft.visitDate);
  const shown = (field: string) => errors[field] ?? hints[field];
  const fields = { kind, setKind, diagnosis, setDiagnosis, restFrom, setRestFrom, restTo, setRestTo, fitFrom, setFitFrom, purpose, setPurpose, remarks, setRemarks, language, setLanguage };
  return { fields, input, submit, shown, days: daysInclusive(restFrom, restTo), medical };
}

// Long by design: the dialog's one form, its fields in the order the doctor fills them.
function CertificateForm({ draft, onClose }: { draft: Draft; onClose: () => void }) {
  const { fields: f, input, submit, shown, days, medical } = useCertificateForm(draft);
  const [issued, setIssued] = useState<Issued | null>(null);
  const out = useCertificateOutput();

  async function issue() {
    if (issued || submit.saving) return;
    const r = await submit.run(() => call('certificates.issue', input));
    if (r) setIssued(r);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void issue();
    }
  }

  if (issued) {
    return (
      <Stack gap="sm" aria-label="Certificate issued">
        <Text fw={600} data-testid="certificate-issued">
          Issued {certificateLine(issued)}
        </Text>
        <Group>
          {/* Focused as it appears (the modal's own autofocus ran when it opened): Enter prints. */}
          <Button autoFocus loading={out.busy === `${issued.id}:print`} onClick={() => void out.output(issued.id, 'print')}>
            Print
          </Button>
          <Button variant="default" loading={out.busy === `${issued.id}:pdf`} onClick={() => void out.output(issued.id, 'pdf')}>
            Save as PDF
          </Button>
          <Button variant="subtle" onClick={onClose}>
            Close
          </Button>
        </Group>
        {out.done && <Text size="sm" c="teal">{out.done}</Text>}
        <FormError error={out.error} p="xs" />
        <Text size="xs" c="dimmed">
          An issued certificate cannot be edited: void it (from the patient&apos;s certificates) and issue a new one.
        </Text>
      </Stack>
    );
  }

  return (
    <Stack gap="xs" onKeyDown={onKeyDown} aria-label="New certificate">
      <SegmentedControl value={f.kind} onChange={(v) => f.setKind(v === 'fitness' ? 'fitness' : 'medical_leave')} data={[{ value: 'medical_leave', label: 'Medical (rest)' }, { value: 'fitness', label: 'Fitness' }]} aria-label="Kind" />
      {/* autoFocus too: the form mounts once the draft has loaded, after the modal's own autofocus ran. */}
      <TextInput data-autofocus autoFocus label="Diagnosis" value={f.diagnosis} onChange={(e) => f.setDiagnosis(e.currentTarget.value)} error={shown('diagnosis')} />
      {medical ? (
        <Group align="flex-start">
          <TextInput type="date" label="Rest from" value={f.restFrom} onChange={(e) => f.setRestFrom(e.currentTarget.value)} error={shown('restFrom')} />
          <TextInput type="date" label="Rest to" value={f.restTo} min={f.restFrom} onChange={(e) => f.setRestTo(e.currentTarget.value)} error={shown('restTo')} />
          <Text mt={28} fw={600} data-testid="certificate-days">
            {days !== null && days > 0 ? `${days} day${days === 1 ? '' : 's'}` : ''}
          </Text>
        </Group>
      ) : (
        <Group align="flex-start">
          <TextInput type="date" label="Fit from" value={f.fitFrom} onChange={(e) => f.setFitFrom(e.currentTarget.value)} error={shown('fitFrom')} />
          <TextInput label="Fit for" value={f.purpose} onChange={(e) => f.setPurpose(e.currentTarget.value)} error={shown('purpose')} style={{ flex: 1 }} />
        </Group>
      )}
      <Textarea label="Remarks" autosize minRows={2} maxRows={4} value={f.remarks} onChange={(e) => f.setRemarks(e.currentTarget.value)} error={shown('remarks')} />
      <SegmentedControl size="xs" value={f.language} onChange={(v) => f.setLanguage(v === 'en+hi' ? 'en+hi' : 'en')} data={[{ value: 'en', label: 'English' }, { value: 'en+hi', label: 'English + हिंदी' }]} aria-label="Language" />
      <FormError error={submit.error} p="xs" />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Issuing numbers and locks the certificate.
        </Text>
        <Button onClick={() => void issue()} loading={submit.saving} rightSection={<Kbd size="xs">Ctrl+Enter</Kbd>}>
          Issue
        </Button>
      </Group>
    </Stack>
  );
}
