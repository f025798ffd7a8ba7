import { Alert, Badge, Button, Group, Modal, Paper, Progress, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, fetchValue, onProgress, type Output } from '../api/client';
import { RecoveryKeyModal } from './RecoveryKeyModal';

type Job = Output<'jobs.get'>;
type BackupFile = Output<'backups.list'>[number];
type Verification = Output<'backups.verify'>;

const KIND_LABEL: Record<BackupFile['kind'], string> = {
  'quarter-hourly': 'every 15 min',
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  manual: 'manual',
};

function when(ms: number): string {
  return new Date(ms).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'short' });
}

function size(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Admin: where backups go, back up now, and verify or restore a backup. */
export function BackupsScreen() {
  const status = useQuery({ queryKey: ['backups.status'], queryFn: () => fetchValue('backups.status'), refetchInterval: 10_000 });
  const files = useQuery({ queryKey: ['backups.list'], queryFn: () => fetchValue('backups.list'), refetchInterval: 30_000 });
  const [folder, setFolder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [checks, setChecks] = useState<Record<string, Verification>>({});
  const [checking, setChecking] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<BackupFile | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [showKey, setShowKey] = useState(false);
  // Another installation's recovery key typed for a backup (by file name), and what is wrong with it.
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [codeErrors, setCodeErrors] = useState<Record<string, string>>({});
  const s = status.data;
  const queries = useQueryClient();

  useEffect(
    () =>
      onProgress((j) => {
        if (j.kind !== 'backup') return;
        setJob(j);
        if (j.status !== 'running') {
          void queries.invalidateQueries({ queryKey: ['backups.status'] });
          void queries.invalidateQueries({ queryKey: ['backups.list'] });
        }
      }),
    [queries],
  );
  useEffect(() => {
    if (s?.running) setJob(s.running);
  }, [s?.running]);

  async function save(patch: { folder?: string | null; enabled?: boolean }) {
    setError(null);
    const r = await call('backups.configure', patch);
    if (!r.ok) return setError(r.error.fields?.folder ?? r.error.message);
    setFolder(null);
    void status.refetch();
    void files.refetch();
  }

  async function backUpNow() {
    setError(null);
    setNotice(null);
    const r = await call('backups.runNow');
    if (r.ok) setJob(r.value);
    else setError(r.error.message);
  }

  function setCode(file: BackupFile, code: string) {
    setCodes((c) => ({ ...c, [file.name]: code }));
    setCodeErrors((e) => {
      const next = { ...e };
      delete next[file.name];
      return next;
    });
  }

  /** The recovery key typed for this file, if any (blank: this computer's own key). */
  function keyFor(file: BackupFile): { recoveryKey?: string } {
    const code = codes[file.name]?.trim();
    return code ? { recoveryKey: code } : {};
  }

  async function verify(file: BackupFile) {
    setError(null);
    setChecking(file.name);
    const r = await call('backups.verify', { file: file.path, ...keyFor(file) });
    setChecking(null);
    if (r.ok) setChecks((c) => ({ ...c, [file.name]: r.value }));
    else if (r.error.fields?.recoveryKey) setCodeErrors((e) => ({ ...e, [file.name]: r.error.fields?.recoveryKey ?? '' }));
    else setError(r.error.message);
  }

  async function restore(file: BackupFile) {
    setError(null);
    setRestoring(true);
    const r = await call('backups.restore', { file: file.path, ...keyFor(file) });
    setRestoring(false);
    // A mistyped key keeps the dialog open with the message under the field.
    if (!r.ok && r.error.fields?.recoveryKey) return setCodeErrors((e) => ({ ...e, [file.name]: r.error.fields?.recoveryKey ?? '' }));
    setConfirm(null);
    if (r.ok) setNotice(r.value.message);
    else setError(r.error.message);
  }

  const running = job?.status === 'running';
  const folderValue = folder ?? s?.folder ?? '';

  return (
    <Stack>
      <Title order={2}>Backup &amp; restore</Title>
      {notice && (
        <Alert color="blue" role="status" title="Restore">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {s && (
        <Paper withBorder p="md" component="section" aria-label="Backup settings">
          <Group align="flex-end">
            <TextInput
              label="Backup folder"
              description="A folder on another disk: a USB drive (e.g. E:\ClinicBackups) or a network share"
              placeholder="E:\ClinicBackups"
              w={420}
              value={folderValue}
              onChange={(e) => setFolder(e.currentTarget.value)}
            />
            <Button variant="default" disabled={folder === null || folder === (s.folder ?? '')} onClick={() => void save({ folder: folderValue || null })}>
              Save folder
            </Button>
          </Group>
          <Group mt="sm">
            <Switch
              label={`Back up automatically every ${s.everyMinutes} minutes while there are changes`}
              checked={s.enabled}
              disabled={!s.folder}
              onChange={(e) => void save({ enabled: e.currentTarget.checked })}
            />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Kept: the last {s.retention['quarter-hourly']} automatic backups, {s.retention.daily} daily, {s.retention.weekly} weekly and{' '}
            {s.retention.monthly} monthly copies; manual backups until you delete them.{' '}
            {s.encrypted ? 'Backups are encrypted with this computer’s database key.' : 'This database is not encrypted.'}
          </Text>
          {s.encrypted && (
            <Group mt="xs">
              <Button size="xs" variant="light" onClick={() => setShowKey(true)}>
                Show recovery key…
              </Button>
              <Text size="xs" c="dimmed">
                Needed to restore these backups on another computer if this one is lost. Keep it on paper, away from the backup disk.
              </Text>
            </Group>
          )}
          <Group mt="sm">
            <Button onClick={() => void backUpNow()} disabled={!s.folder || running} loading={running}>
              Back up now
            </Button>
            <Text size="sm" data-testid="last-backup">
              {s.last
                ? s.last.ok
                  ? `Last backup ${when(s.last.at)} (${Math.round(s.last.ms / 100) / 10} s)`
                  : `Last backup failed ${when(s.last.at)}: ${s.last.error ?? ''}`
                : 'No backup yet'}
              {s.changedSinceLast ? ' · changes since then' : ''}
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
      )}
      <Paper withBorder p="md" component="section" aria-label="Backups">
        <Title order={4} mb="xs">
          Backups in the folder
        </Title>
        {(files.data ?? []).length === 0 ? (
          <Text c="dimmed">No backups in this folder yet.</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Made</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>Check</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(files.data ?? []).map((f) => {
                const v = checks[f.name];
                return (
                  <Table.Tr key={f.name}>
                    {/* Kept on one line: a long problem or the recovery key field beside them must not squeeze them. */}
                    <Table.Td title={f.name} style={{ whiteSpace: 'nowrap' }}>
                      {when(f.at)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge variant="light">{KIND_LABEL[f.kind]}</Badge> <Text span size="xs" c="dimmed">{f.workstation}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{size(f.size)}</Table.Td>
                    <Table.Td>
                      {v ? (
                        v.ok ? (
                          <Text size="sm" c="teal">
                            OK · {v.counts.patients ?? 0} patients, {v.counts.visits ?? 0} visits, {v.counts.invoices ?? 0} invoices
                          </Text>
                        ) : (
                          <Text size="sm" c="red">
                            {v.problems.join(' ')}
                          </Text>
                        )
                      ) : null}
                      {(v?.needsRecoveryKey || codes[f.name] !== undefined) && (
                        <Group gap="xs" mt={4} align="flex-start">
                          <TextInput
                            size="xs"
                            w={280}
                            aria-label={`Recovery key for ${f.name}`}
                            placeholder="Recovery key of the computer that made it"
                            value={codes[f.name] ?? ''}
                            error={codeErrors[f.name]}
                            onChange={(e) => setCode(f, e.currentTarget.value)}
                          />
                          <Button size="xs" variant="default" disabled={!codes[f.name]?.trim()} loading={checking === f.name} onClick={() => void verify(f)}>
                            Verify with key
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="default" loading={checking === f.name} onClick={() => void verify(f)}>
                          Verify
                        </Button>
                        <Button size="xs" color="red" variant="light" onClick={() => setConfirm(f)}>
                          Restore…
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title="Restore this backup?" centered>
        {confirm && (
          <Stack>
            <Text>
              The clinic database will be replaced by the backup made <b>{when(confirm.at)}</b>. Everything entered on this workstation after that
              time and not yet synced will not be in it. The current database is kept in the app’s data folder (clinic.replaced-….db).
            </Text>
            <Text size="sm">The backup is checked first. The app then restarts and everyone logs in again.</Text>
            <TextInput
              label="Recovery key (only for a backup made on another computer)"
              description="From the paper kept when that computer was set up. Spaces, dashes and small or capital letters do not matter."
              placeholder="ABCD-1234-…"
              value={codes[confirm.name] ?? ''}
              error={codeErrors[confirm.name]}
              onChange={(e) => setCode(confirm, e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              <Button color="red" loading={restoring} onClick={() => void restore(confirm)}>
                Check and restore
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <RecoveryKeyModal opened={showKey} onClose={() => setShowKey(false)} />
    </Stack>
  );
}
