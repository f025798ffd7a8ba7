import { Badge, Button, Group, Modal, Paper, Progress, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import type { Output } from '../api/client';

/* The parts of the backups screen; the screen keeps the state and the calls, these draw it. */

type Job = Output<'jobs.get'>;
type Status = Output<'backups.status'>;
export type BackupFile = Output<'backups.list'>[number];
type Verification = Output<'backups.verify'>;

const KIND_LABEL: Record<BackupFile['kind'], string> = {
  'quarter-hourly': 'every 15 min',
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  manual: 'manual',
};

export function when(ms: number): string {
  return new Date(ms).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'short' });
}

function size(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The folder, the automatic switch, what is kept, the recovery key, and backing up now with its progress. */
export function SettingsPanel(props: {
  status: Status;
  folder: string | null;
  folderValue: string;
  onFolder: (folder: string) => void;
  onSave: (patch: { folder?: string | null; enabled?: boolean }) => void;
  onBackUpNow: () => void;
  onShowKey: () => void;
  job: Job | null;
}) {
  const { status, folder, folderValue, onFolder, onSave, onBackUpNow, onShowKey, job } = props;
  const running = job?.status === 'running';
  return (
    <Paper withBorder p="md" component="section" aria-label="Backup settings">
      <Group align="flex-end">
        <TextInput
          label="Backup folder"
          description="A folder on another disk: a USB drive (e.g. E:\ClinicBackups) or a network share"
          placeholder="E:\ClinicBackups"
          w={420}
          value={folderValue}
          onChange={(e) => onFolder(e.currentTarget.value)}
        />
        <Button variant="default" disabled={folder === null || folder === (status.folder ?? '')} onClick={() => onSave({ folder: folderValue || null })}>
          Save folder
        </Button>
      </Group>
      <Group mt="sm">
        <Switch
          label={`Back up automatically every ${status.everyMinutes} minutes while there are changes`}
          checked={status.enabled}
          disabled={!status.folder}
          onChange={(e) => onSave({ enabled: e.currentTarget.checked })}
        />
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        Kept: the last {status.retention['quarter-hourly']} automatic backups, {status.retention.daily} daily, {status.retention.weekly} weekly and{' '}
        {status.retention.monthly} monthly copies; manual backups until you delete them.{' '}
        {status.encrypted ? 'Backups are encrypted with this computer’s database key.' : 'This database is not encrypted.'}
      </Text>
      {status.encrypted && (
        <Group mt="xs">
          <Button size="xs" variant="light" onClick={onShowKey}>
            Show recovery key…
          </Button>
          <Text size="xs" c="dimmed">
            Needed to restore these backups on another computer if this one is lost. Keep it on paper, away from the backup disk.
          </Text>
        </Group>
      )}
      <Group mt="sm">
        <Button onClick={onBackUpNow} disabled={!status.folder || running} loading={running}>
          Back up now
        </Button>
        <Text size="sm" data-testid="last-backup">
          {status.last
            ? status.last.ok
              ? `Last backup ${when(status.last.at)} (${Math.round(status.last.ms / 100) / 10} s)`
              : `Last backup failed ${when(status.last.at)}: ${status.last.error ?? ''}`
            : 'No backup yet'}
          {status.changedSinceLast ? ' · changes since then' : ''}
        </Text>
      </Group>
      {job && (
        <Group mt="xs">
          <Progress
            w={280}
            aria-label="Backup progress"
            value={job.status === 'done' ? 100 : job.total ? (job.done / job.total) * 100 : 5}
            color={job.status === 'failed' ? 'red' : 'teal'}
            animated={job.status === 'running'}
          />
          <Text size="sm" c={job.status === 'failed' ? 'red' : undefined}>
            {job.status === 'done' ? 'Backup finished' : job.message}
          </Text>
        </Group>
      )}
    </Paper>
  );
}

/** One backup file: when, kind, size, what its check found (and a recovery key field when needed), and its buttons. */
export function BackupRow(props: {
  file: BackupFile;
  check: Verification | undefined;
  code: string | undefined;
  codeError: string | undefined;
  checking: boolean;
  onCode: (code: string) => void;
  onVerify: () => void;
  onRestore: () => void;
}) {
  const { file, check, code, codeError, checking, onCode, onVerify, onRestore } = props;
  return (
    <Table.Tr>
      {/* Kept on one line: a long problem or the recovery key field beside them must not squeeze them. */}
      <Table.Td title={file.name} style={{ whiteSpace: 'nowrap' }}>
        {when(file.at)}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge variant="light">{KIND_LABEL[file.kind]}</Badge> <Text span size="xs" c="dimmed">{file.workstation}</Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{size(file.size)}</Table.Td>
      <Table.Td>
        {check ? (
          check.ok ? (
            <Text size="sm" c="teal">
              OK · {check.counts.patients ?? 0} patients, {check.counts.visits ?? 0} visits, {check.counts.invoices ?? 0} invoices
            </Text>
          ) : (
            <Text size="sm" c="red">
              {check.problems.join(' ')}
            </Text>
          )
        ) : null}
        {(check?.needsRecoveryKey || code !== undefined) && (
          <Group gap="xs" mt={4} align="flex-start">
            <TextInput
              size="xs"
              w={280}
              aria-label={`Recovery key for ${file.name}`}
              placeholder="Recovery key of the computer that made it"
              value={code ?? ''}
              error={codeError}
              onChange={(e) => onCode(e.currentTarget.value)}
            />
            <Button size="xs" variant="default" disabled={!code?.trim()} loading={checking} onClick={onVerify}>
              Verify with key
            </Button>
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="default" loading={checking} onClick={onVerify}>
            Verify
          </Button>
          <Button size="xs" color="red" variant="light" onClick={onRestore}>
            Restore…
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Asks before a restore, with a field for another computer's recovery key. */
export function RestoreModal(props: {
  file: BackupFile | null;
  code: string | undefined;
  codeError: string | undefined;
  restoring: boolean;
  onCode: (code: string) => void;
  onRestore: () => void;
  onClose: () => void;
}) {
  const { file, code, codeError, restoring, onCode, onRestore, onClose } = props;
  return (
    <Modal opened={file !== null} onClose={onClose} title="Restore this backup?" centered>
      {file && (
        <Stack>
          <Text>
            The clinic database will be replaced by the backup made <b>{when(file.at)}</b>. Everything entered on this workstation after that
            time and not yet synced will not be in it. The current database is kept in the app’s data folder (clinic.replaced-….db).
          </Text>
          <Text size="sm">The backup is checked first. The app then restarts and everyone logs in again.</Text>
          <TextInput
            label="Recovery key (only for a backup made on another computer)"
            description="From the paper kept when that computer was set up. Spaces, dashes and small or capital letters do not matter."
            placeholder="ABCD-1234-…"
            value={code ?? ''}
            data-autofocus
            // Enter in the key box does the dialog's action, as the button beside it.
            onKeyDown={(e) => e.key === 'Enter' && !restoring && onRestore()}
            error={codeError}
            onChange={(e) => onCode(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" loading={restoring} onClick={onRestore}>
              Check and restore
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
