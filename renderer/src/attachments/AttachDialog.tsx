import { Badge, Button, Group, Modal, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { AttachmentViewer, type Viewable } from './Viewer';
import { CameraCapture } from './CameraCapture';
import { uploadAttachment } from './upload';
import { useSession } from '../session';
import { hasPermission } from '../../../shared/permissions';
import { localDate } from '../../../shared/clinic-time';
import { ATTACHMENT_KINDS, ATTACHMENT_KIND_LABELS, type AttachmentKind } from '../../../shared/attachments';

/**
 * The patient's outside reports and scans on the patient card (docs/ATTACHMENTS.md): "Attach file…"
 * (a file chooser, or a file dropped on the card or the dialog; kind, title, date) and the list, with
 * Open (the viewer) for those who may read the clinical record. The file is judged by its content on
 * the main process whichever way it came; its errors show in the dialog.
 */

/** The list and the button, for those who may attach (reception, doctors, administrators). */
export function PatientAttachments({ patientId }: { patientId: string }) {
  const { user } = useSession();
  return hasPermission(user.roles, 'attachments.add') ? <Attachments patientId={patientId} canRead={hasPermission(user.roles, 'clinical.read')} /> : null;
}

function Attachments({ patientId, canRead }: { patientId: string; canRead: boolean }) {
  const list = useMethod('attachments.list', { patientId });
  const [open, setOpen] = useState(false);
  const [viewing, setViewing] = useState<Viewable | null>(null);
  const [dropped, setDropped] = useState<File | null>(null);

  // A file dropped anywhere on the card opens the dialog with it chosen (checked there like any other).
  function onDrop(e: DragEvent) {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (!f) return;
    setDropped(f);
    setOpen(true);
  }

  return (
    <Paper withBorder p="xs" component="section" aria-label="Attachments" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <Group justify="space-between">
        <Title order={6}>Reports and scans</Title>
        <Button size="xs" variant="default" onClick={() => setOpen(true)}>
          Attach file…
        </Button>
      </Group>
      <Stack gap={4} mt={4}>
        {(list.data ?? []).map((a) => (
          <Group key={a.id} justify="space-between" wrap="nowrap" data-testid="attachment-row">
            <Text size="sm" td={a.withdrawnAt ? 'line-through' : undefined}>
              {a.documentDate} · {ATTACHMENT_KIND_LABELS[a.kind]} · {a.title} ({Math.ceil(a.size / 1024)} KB)
            </Text>
            <Group gap={4} wrap="nowrap">
              {!a.downloaded && <Badge color="gray">downloading</Badge>}
              {canRead && !a.withdrawnAt && (
                <Button size="compact-xs" variant="subtle" onClick={() => setViewing(a)}>
                  Open
                </Button>
              )}
            </Group>
          </Group>
        ))}
        {list.data?.length === 0 && <Text size="xs" c="dimmed">None yet.</Text>}
      </Stack>
      <AttachDialog
        patientId={patientId}
        opened={open}
        dropped={dropped}
        onClose={() => {
          setOpen(false);
          setDropped(null);
        }}
      />
      <AttachmentViewer file={viewing} onClose={() => setViewing(null)} />
    </Paper>
  );
}

// Long by design: one small form (file or drop zone, kind, title, date) with its own saving state; split, its few fields would be spread over components.
export function AttachDialog({ patientId, opened, dropped = null, onClose }: { patientId: string; opened: boolean; dropped?: File | null; onClose: () => void }) {
  const { timeZone } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<AttachmentKind>('lab_report');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(() => localDate(Date.now(), timeZone));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);

  function pick(f: File | null) {
    setFile(f);
    if (f && !title) setTitle(f.name.replace(/\.[^.]+$/, ''));
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    // Not up to the card as well: it would open the dialog again with the same file.
    e.stopPropagation();
    pick(e.dataTransfer.files[0] ?? null);
  }

  // A file dropped on the patient card arrives chosen (adjusted while rendering, once per drop).
  const [taken, setTaken] = useState<File | null>(null);
  if (dropped && dropped !== taken) {
    setTaken(dropped);
    pick(dropped);
  }

  // Cancelled, the next file starts afresh: a title typed (or taken from) the last file would stick to
  // it. Closing also unmounts the camera panel, which releases the camera.
  function close() {
    setCamera(false);
    setFile(null);
    setTitle('');
    setError(null);
    onClose();
  }

  async function save() {
    if (!file) return setError('Choose a file to attach (PDF, JPEG or PNG).');
    setSaving(true);
    setError(null);
    const r = await uploadAttachment({ patientId, kind, title: title.trim(), documentDate: date, file });
    setSaving(false);
    if (!r.ok) return setError(r.message);
    setFile(null);
    setTitle('');
    close();
  }

  return (
    <Modal opened={opened} onClose={close} title="Attach a report or scan">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="xs">
          {camera ? (
            <CameraCapture
              onCancel={() => setCamera(false)}
              onPhoto={(photo) => {
                setCamera(false);
                setFile(photo);
                if (!title) setTitle('Photo');
              }}
            />
          ) : (
            <Paper withBorder p="md" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-label="Drop the file here">
              <Stack gap={4} align="center">
                <input type="file" accept="application/pdf,image/jpeg,image/png" aria-label="File" data-autofocus onChange={(e) => pick(e.currentTarget.files?.[0] ?? null)} />
                <Text size="xs" c="dimmed">{file ? `${file.name} · ${Math.ceil(file.size / 1024)} KB` : 'or drop a PDF, JPEG or PNG here (up to 20 MB)'}</Text>
                <Button size="xs" variant="light" onClick={() => setCamera(true)}>
                  Take photo…
                </Button>
              </Stack>
            </Paper>
          )}
          <NativeSelect label="Kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as AttachmentKind)} data={ATTACHMENT_KINDS.map((k) => ({ value: k, label: ATTACHMENT_KIND_LABELS[k] }))} />
          <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
          <TextInput label="Document date" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={camera}>
              Attach
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
