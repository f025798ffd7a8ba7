import { Button, Group, Modal, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { useSession } from '../session';
import { uploadAttachment } from '../attachments/upload';
import { formatDay, localDate } from '../../../shared/clinic-time';
import type { LabRow } from './LabScreen';

/** The select's choice meaning "the file chosen or dropped below". */
const NEW_FILE = '';

/**
 * An outside lab's report as the result of an order (docs/LAB.md, "Outside lab reports"): the file is
 * attached to the patient at the order's visit as a lab report, then the result is recorded with it.
 * Two steps on two records, so a refusal of the second leaves the file attached: the dialog then
 * keeps that file chosen and a second press only records, never uploads the same file twice.
 */
// Long by design: one form (report, title, date, text) with its saving state and the half-done case.
export function OutsideReportDialog({ row, onClose, onDone }: { row: LabRow; onClose: () => void; onDone: (text: string) => void }) {
  const { timeZone } = useSession();
  const list = useMethod('attachments.list', { patientId: row.patientId });
  const [uploaded, setUploaded] = useState<{ id: string; title: string } | null>(null);
  const [chosen, setChosen] = useState(NEW_FILE);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState(`${row.testName} - outside lab`);
  const [date, setDate] = useState(() => localDate(Date.now(), timeZone));
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ofVisit = (list.data ?? []).filter((a) => a.kind === 'lab_report' && a.visitId === row.visitId && !a.withdrawnAt);
  // The file just uploaded is offered even before the list has been read again.
  const options = uploaded && !ofVisit.some((a) => a.id === uploaded.id) ? [...ofVisit, { id: uploaded.id, title: uploaded.title, documentDate: date }] : ofVisit;

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setFile(e.dataTransfer.files[0] ?? null);
    setChosen(NEW_FILE);
    setError(null);
  }

  async function save() {
    setError(null);
    let attachmentId = chosen === NEW_FILE ? null : chosen;
    const fresh = attachmentId === null;
    setSaving(true);
    if (attachmentId === null) {
      if (!file) {
        setSaving(false);
        return setError('Choose the outside lab’s report (PDF, JPEG or PNG), or one already attached to this visit.');
      }
      const up = await uploadAttachment({ patientId: row.patientId, visitId: row.visitId, kind: 'lab_report', title: title.trim(), documentDate: date, file });
      if (!up.ok) {
        setSaving(false);
        return setError(up.message);
      }
      attachmentId = up.id;
      setUploaded({ id: up.id, title: title.trim() });
      setChosen(up.id);
      setFile(null);
    }
    const r = await call('labs.recordResult', { orderId: row.orderId, value: text.trim(), attachmentId });
    setSaving(false);
    if (!r.ok) {
      const why = (r.error.fields?.value ?? r.error.fields?.attachmentId ?? r.error.message).replace(/\.$/, '');
      return setError(
        fresh || uploaded?.id === attachmentId
          ? `The file is attached to ${row.patientName}'s record, but the result was not saved: ${why}. Press "Save result" to try again with that file (it is not sent again).`
          : why,
      );
    }
    onDone(`${row.testName} for ${row.patientName}: the outside lab's report is the result${text.trim() ? ` (${text.trim()})` : ''}. It waits to be verified.`);
  }

  return (
    <Modal opened onClose={onClose} title={`Outside report: ${row.testName} for ${row.patientName}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="xs">
          {options.length > 0 && (
            <NativeSelect
              label="Report"
              value={chosen}
              onChange={(e) => setChosen(e.currentTarget.value)}
              data={[{ value: NEW_FILE, label: 'A new file (choose or drop it below)' }, ...options.map((a) => ({ value: a.id, label: `Already attached: ${a.title} (${formatDay(a.documentDate)})` }))]}
            />
          )}
          {chosen === NEW_FILE && (
            <>
              <Paper withBorder p="md" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-label="Drop the report here">
                <Stack gap={4} align="center">
                  <input type="file" accept="application/pdf,image/jpeg,image/png" aria-label="Report file" data-autofocus onChange={(e) => {
                      setFile(e.currentTarget.files?.[0] ?? null);
                      setError(null);
                    }} />
                  <Text size="xs" c="dimmed">{file ? `${file.name} · ${Math.ceil(file.size / 1024)} KB` : 'or drop a PDF, JPEG or PNG here (up to 20 MB)'}</Text>
                </Stack>
              </Paper>
              <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
              <TextInput label="Document date" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
            </>
          )}
          <TextInput
            label="Result text (optional)"
            description={`Empty, the report says "See attached report"${row.numeric ? `; a number in ${row.unit ?? 'the test’s unit'} gets its H/L flag` : ''}.`}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            maxLength={200}
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Save result
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
