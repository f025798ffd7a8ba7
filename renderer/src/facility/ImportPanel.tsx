import { Button, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, onProgress, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { waitForJob } from '../api/jobs';

type Job = Output<'jobs.get'>;
type Kind = 'reference.importIcd10' | 'reference.importLgd' | 'reference.importPincodes';

const percent = (job: Job | undefined) => (job?.total ? Math.round((job.done / job.total) * 100) : job?.status === 'done' ? 100 : 0);

function JobProgress({ job, label }: { job: Job; label: string }) {
  const pct = percent(job);
  return (
    <Group gap="xs">
      <Progress value={pct} w={300} animated={job.status === 'running'} color={job.status === 'failed' ? 'red' : 'teal'} aria-label={`${label} progress`} />
      <Text size="xs" c={job.status === 'failed' ? 'red' : 'dimmed'} data-testid={`${label} status`}>
        {job.status === 'failed' ? job.message : `${pct}% · ${job.message}`}
      </Text>
    </Group>
  );
}

/** The imports' jobs (followed through progress events), the paths typed or chosen, and errors by kind. */
function useReferenceImports() {
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const [paths, setPaths] = useState<Record<Kind, string>>({ 'reference.importIcd10': '', 'reference.importLgd': '', 'reference.importPincodes': '' });
  const [errors, setErrors] = useState<Partial<Record<Kind | 'reference.loadShipped', string>>>({});
  const queries = useQueryClient();
  useEffect(
    () =>
      onProgress((job) => {
        setJobs((j) => ({ ...j, [job.kind]: job }));
        // Reference tables are not synced, so no `changed` event says the pickers and counts are stale.
        if (job.status === 'done' && job.kind.startsWith('reference.')) void queries.invalidateQueries();
      }),
    [queries],
  );

  async function loadShipped() {
    setErrors((e) => ({ ...e, 'reference.loadShipped': undefined }));
    const r = await call('reference.loadShipped', {});
    if (r.ok) setJobs((j) => ({ ...j, 'reference.loadShipped': r.value }));
    else setErrors((e) => ({ ...e, 'reference.loadShipped': r.error.message }));
  }

  /** The desktop app's Open dialog: what is picked there may be imported from where it is. */
  async function choose(kind: Kind) {
    setErrors((e) => ({ ...e, [kind]: undefined }));
    const r = await call('files.choose', { kind: kind === 'reference.importLgd' ? 'folder' : 'csv' });
    if (!r.ok) return setErrors((e) => ({ ...e, [kind]: r.error.message }));
    const done = await waitForJob(r.value.id);
    const picked = done.result?.path;
    if (done.status === 'failed') setErrors((e) => ({ ...e, [kind]: done.message }));
    else if (typeof picked === 'string') setPaths((p) => ({ ...p, [kind]: picked }));
  }

  async function start(kind: Kind) {
    setErrors((e) => ({ ...e, [kind]: undefined }));
    const value = paths[kind];
    const r =
      kind === 'reference.importLgd' ? await call(kind, { folder: value }) : await call(kind, { path: value });
    if (r.ok) setJobs((j) => ({ ...j, [kind]: r.value }));
    else setErrors((e) => ({ ...e, [kind]: r.error.message }));
  }
  return { jobs, paths, setPaths, errors, loadShipped, choose, start };
}

/**
 * The reference lists: those shipped with the app, loaded with one button (the LGD directory is
 * there already, the app loads it when it first opens), and newer ones from files on this
 * computer, with a progress bar each.
 */
export function ImportPanel() {
  const { jobs, paths, setPaths, errors, loadShipped, choose, start } = useReferenceImports();
  const access = useMethod('files.importFolder', {});
  const shipped = useMethod('reference.shipped', {});
  const row = (kind: Kind, label: string, placeholder: string) => (
    <ImportRow
      key={kind}
      label={label}
      placeholder={placeholder}
      path={paths[kind]}
      error={errors[kind]}
      job={jobs[kind]}
      canChoose={access.data?.canChoose ?? false}
      onPath={(v) => setPaths((p) => ({ ...p, [kind]: v }))}
      onChoose={() => void choose(kind)}
      onStart={() => void start(kind)}
    />
  );

  return (
    <Paper withBorder p="md" component="section" aria-label="Reference data">
      <Title order={4} mb="xs">
        Reference data
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        The app comes with the full ICD-10-CM list, the LGD directory of states, districts and sub-districts (loaded already) and the India Post pincode
        directory. Load them into this workstation; it takes a minute or so in the background and the app stays usable.
      </Text>
      {shipped.data && (
        <Text size="sm" mb="xs" data-testid="shipped-counts">
          {shipped.data
            .map((s) => `${s.what}: ${s.inApp.toLocaleString('en-IN')}${s.shipped === null ? ' (not shipped with this copy of the app)' : ` of ${s.shipped.toLocaleString('en-IN')}`}`)
            .join(' · ')}
        </Text>
      )}
      <ShippedLoad job={jobs['reference.loadShipped']} error={errors['reference.loadShipped']} onLoad={() => void loadShipped()} />
      <Title order={5} mb="xs">
        Newer lists from files
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        When a newer list is published, load it from a CSV file (or a gzipped one, .csv.gz) on this computer.
      </Text>
      {access.data && !access.data.canChoose && (
        <Text size="sm" mb="sm">
          The app reads only files in its import folder: <Text span ff="monospace">{access.data.folder}</Text>. Copy the files there first.
        </Text>
      )}
      <Stack>
        {row('reference.importIcd10', 'ICD-10 codes (CSV)', '/path/to/icd10cm_codes.csv')}
        {row('reference.importLgd', 'LGD directory folder (states, districts, sub-districts)', '/path/to/folder')}
        {row('reference.importPincodes', 'Pincode directory (CSV)', '/path/to/pincodes.csv')}
      </Stack>
    </Paper>
  );
}

/** One list imported from a file: its path (typed, or chosen in the desktop app), Import, progress. */
function ImportRow({ label, placeholder, path, error, job, canChoose, onPath, onChoose, onStart }: {
  label: string;
  placeholder: string;
  path: string;
  error: string | undefined;
  job: Job | undefined;
  canChoose: boolean;
  onPath: (path: string) => void;
  onChoose: () => void;
  onStart: () => void;
}) {
  return (
    <Stack gap={4}>
      <Group align="flex-end">
        <TextInput label={label} placeholder={placeholder} w={460} value={path} error={error} onChange={(e) => onPath(e.currentTarget.value)} />
        {canChoose && (
          <Button variant="default" onClick={onChoose}>
            Choose…
          </Button>
        )}
        <Button variant="default" disabled={!path || job?.status === 'running'} onClick={onStart}>
          Import
        </Button>
      </Group>
      {job && <JobProgress job={job} label={label} />}
    </Stack>
  );
}

function ShippedLoad({ job, error, onLoad }: { job: Job | undefined; error: string | undefined; onLoad: () => void }) {
  return (
    <Stack gap={4} mb="md">
      <Group>
        <Button onClick={onLoad} disabled={job?.status === 'running'}>
          Load the lists shipped with the app
        </Button>
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
      </Group>
      {job && <JobProgress job={job} label="Shipped lists" />}
    </Stack>
  );
}
