import { Button, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call, onProgress, type Output } from '../api/client';

type Job = Output<'jobs.get'>;
type Kind = 'reference.importIcd10' | 'reference.importLgd' | 'reference.importPincodes';

/** Loads the full reference lists from files on this computer, with a progress bar each. */
export function ImportPanel() {
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const [paths, setPaths] = useState<Record<Kind, string>>({ 'reference.importIcd10': '', 'reference.importLgd': '', 'reference.importPincodes': '' });
  const [errors, setErrors] = useState<Partial<Record<Kind, string>>>({});
  useEffect(() => onProgress((job) => setJobs((j) => ({ ...j, [job.kind]: job }))), []);

  async function start(kind: Kind) {
    setErrors((e) => ({ ...e, [kind]: undefined }));
    const value = paths[kind];
    const r =
      kind === 'reference.importLgd' ? await call(kind, { folder: value }) : await call(kind, { path: value });
    if (r.ok) setJobs((j) => ({ ...j, [kind]: r.value }));
    else setErrors((e) => ({ ...e, [kind]: r.error.message }));
  }

  const row = (kind: Kind, label: string, placeholder: string) => {
    const job = jobs[kind];
    const pct = job?.total ? Math.round((job.done / job.total) * 100) : job?.status === 'done' ? 100 : 0;
    return (
      <Stack gap={4} key={kind}>
        <Group align="flex-end">
          <TextInput
            label={label}
            placeholder={placeholder}
            w={460}
            value={paths[kind]}
            error={errors[kind]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setPaths((p) => ({ ...p, [kind]: v }));
            }}
          />
          <Button variant="default" disabled={!paths[kind] || job?.status === 'running'} onClick={() => void start(kind)}>
            Import
          </Button>
        </Group>
        {job && (
          <Group gap="xs">
            <Progress value={pct} w={300} animated={job.status === 'running'} color={job.status === 'failed' ? 'red' : 'teal'} aria-label={`${label} progress`} />
            <Text size="xs" c={job.status === 'failed' ? 'red' : 'dimmed'}>
              {job.status === 'failed' ? job.message : `${pct}% · ${job.message}`}
            </Text>
          </Group>
        )}
      </Stack>
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-label="Reference data">
      <Title order={4} mb="xs">
        Reference data
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The app starts with a short list of common diagnoses and all states. Load the full lists from files on this computer.
      </Text>
      <Stack>
        {row('reference.importIcd10', 'ICD-10 codes (CSV)', '/path/to/icd10cm_codes.csv')}
        {row('reference.importLgd', 'LGD directory folder (states, districts, sub-districts)', '/path/to/folder')}
        {row('reference.importPincodes', 'Pincode directory (CSV)', '/path/to/pincodes.csv')}
      </Stack>
    </Paper>
  );
}
