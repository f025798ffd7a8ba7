import { Alert, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, fetchValue, onProgress, type Output } from '../api/client';
import { BackupRow, RestoreModal, SettingsPanel } from './BackupParts';
import { RecoveryKeyModal } from './RecoveryKeyModal';

type Job = Output<'jobs.get'>;
type BackupFile = Output<'backups.list'>[number];
type Verification = Output<'backups.verify'>;

/** Admin: where backups go, back up now, and verify or restore a backup. */
// Long by design: it holds the screen's state and calls; BackupParts.tsx draws it, and splitting the state would pass it all back down as props.
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
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a backup already running when the screen opens (e.g. the scheduler's) is taken over once; progress events move it on from there
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
    setCodeErrors((e) => Object.fromEntries(Object.entries(e).filter(([name]) => name !== file.name)));
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
        <SettingsPanel
          status={s}
          folder={folder}
          folderValue={folderValue}
          onFolder={setFolder}
          onSave={(patch) => void save(patch)}
          onBackUpNow={() => void backUpNow()}
          onShowKey={() => setShowKey(true)}
          job={job}
        />
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
              {(files.data ?? []).map((f) => (
                <BackupRow
                  key={f.name}
                  file={f}
                  check={checks[f.name]}
                  code={codes[f.name]}
                  codeError={codeErrors[f.name]}
                  checking={checking === f.name}
                  onCode={(code) => setCode(f, code)}
                  onVerify={() => void verify(f)}
                  onRestore={() => setConfirm(f)}
                />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <RestoreModal
        file={confirm}
        code={confirm ? codes[confirm.name] : undefined}
        codeError={confirm ? codeErrors[confirm.name] : undefined}
        restoring={restoring}
        onCode={(code) => confirm && setCode(confirm, code)}
        onRestore={() => confirm && void restore(confirm)}
        onClose={() => setConfirm(null)}
      />
      <RecoveryKeyModal opened={showKey} onClose={() => setShowKey(false)} />
    </Stack>
  );
}
