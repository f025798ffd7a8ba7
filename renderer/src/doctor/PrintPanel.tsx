import { Alert, Button, Group, Kbd, NativeSelect, NumberInput, Paper, SegmentedControl, Switch, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { call, onProgress, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { downloadJobDocument, waitForJob } from '../api/jobs';
import { PreviewModal, usePreview } from './PreviewModal';

type Job = Output<'jobs.get'>;

/** Preview (Alt+V), then print on letterhead or on a pre-printed pad, A4 or A5, English or with Hindi; or save as PDF. */
export function PrintPanel({ visitId, printed, beforePrint }: { visitId: string; printed: boolean; beforePrint: () => Promise<boolean> }) {
  const settings = useMethod('settings.print', {});
  const printers = useMethod('printers.list', {});
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The patient's preferred language decides unless the doctor picks another for this print.
  const defaultLanguage = useMethod('prescriptions.printLanguage', { visitId });
  const [language, setLanguage] = useState<PrintLanguage | null>(null);
  const options = language ? { language } : undefined;
  const { preview, showPreview, closePreview } = usePreview(visitId, beforePrint, setJob, setError, options);
  useEffect(() => onProgress((j) => setJob((current) => (current && current.id === j.id ? j : current))), []);
  useHotkeys([['alt+V', () => void (preview === null && showPreview())]], []);
  if (!settings.data) return null;
  const s = settings.data;

  async function change(patch: Partial<typeof s>) {
    await call('settings.setPrint', patch);
    void settings.refetch();
  }

  async function printFromPreview() {
    closePreview();
    await run('print');
  }

  async function run(kind: 'print' | 'pdf') {
    setError(null);
    if (!(await beforePrint())) return setError('Fix the prescription before printing.');
    const r = kind === 'print' ? await call('prescriptions.print', { visitId, printer: s.printer, options }) : await call('prescriptions.pdf', { visitId, options });
    if (!r.ok) return setError(r.error.message);
    setJob(r.value);
    const done = await waitForJob(r.value.id);
    setJob(done);
    if (done.status === 'failed') return setError(done.message);
    if (kind === 'pdf') {
      const failed = await downloadJobDocument(done);
      if (failed) setError(failed);
    }
  }

  return (
    <Paper withBorder p="sm" component="section" aria-label="Print prescription">
      <PrintSettings
        settings={s}
        printers={printers.data ?? []}
        onChange={(patch) => void change(patch)}
        language={{ value: language ?? defaultLanguage.data?.language ?? s.language, note: language ? 'This print only' : defaultLanguage.data?.from === 'patient' ? "Patient's preferred language" : null }}
        onLanguage={(v) => (defaultLanguage.data?.from === 'patient' ? setLanguage(v) : void change({ language: v }))}
      />
      <Group mt="sm">
        <Button variant="light" onClick={() => void showPreview()} loading={job?.status === 'running' && job.kind === 'prescriptions.preview'} rightSection={<Kbd size="xs">Alt+V</Kbd>}>
          Preview
        </Button>
        <Button onClick={() => void run('print')} loading={job?.status === 'running' && job.kind === 'prescriptions.print'}>
          {printed ? 'Reprint (DUPLICATE)' : 'Print'}
        </Button>
        <Button variant="default" onClick={() => void run('pdf')} loading={job?.status === 'running' && job.kind === 'prescriptions.pdf'}>
          Save as PDF
        </Button>
        {job && job.status === 'done' && job.kind !== 'prescriptions.preview' && (
          <Text size="sm" c="teal" data-testid="print-result">
            {job.kind === 'prescriptions.print' ? `Sent to ${String(job.result?.printer)}${job.result?.duplicate ? ' (DUPLICATE)' : ''}` : 'PDF saved'}
          </Text>
        )}
      </Group>
      {!printed && (
        <Text size="xs" c="dimmed" mt={4}>
          Printing locks the prescription; later copies are stamped DUPLICATE.
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error}
        </Alert>
      )}
      <PreviewModal preview={preview} printing={job?.status === 'running' && job.kind === 'prescriptions.print'} onPrint={() => void printFromPreview()} onClose={closePreview} />
    </Paper>
  );
}

type Settings = Output<'settings.print'>;
type PrintLanguage = Settings['language'];
const isPrintLanguage = (v: string): v is PrintLanguage => v === 'en' || v === 'en+hi';

/** Printer, paper, language, letterhead or pad (with its margins): this desk's settings, saved as they change. */
function PrintSettings(props: {
  settings: Settings;
  printers: Output<'printers.list'>;
  onChange: (patch: Partial<Settings>) => void;
  /** The language this print will use, and why when it is not this desk's setting. */
  language: { value: PrintLanguage; note: string | null };
  onLanguage: (language: PrintLanguage) => void;
}) {
  const { settings: s, printers, onChange, language, onLanguage } = props;
  return (
    <Group align="flex-end" gap="sm">
      <NativeSelect
        label="Printer"
        value={s.printer ?? ''}
        onChange={(e) => onChange({ printer: e.currentTarget.value || null })}
        data={[{ value: '', label: 'Default printer' }, ...printers.map((p) => ({ value: p.name, label: p.isDefault ? `${p.name} (default)` : p.name }))]}
      />
      <SegmentedControl size="xs" value={s.paper} onChange={(v) => onChange({ paper: v })} data={['A5', 'A4']} aria-label="Paper" />
      <div>
        <SegmentedControl size="xs" value={language.value} onChange={(v) => isPrintLanguage(v) && onLanguage(v)} data={[{ value: 'en', label: 'English' }, { value: 'en+hi', label: 'English + हिंदी' }]} aria-label="Language" />
        {language.note && (
          <Text size="xs" c="dimmed" data-testid="print-language-source">
            {language.note}
          </Text>
        )}
      </div>
      <Switch label="Letterhead" checked={s.letterhead} onChange={(e) => onChange({ letterhead: e.currentTarget.checked })} />
      {!s.letterhead && (
        <>
          <NumberInput label="Top margin (mm)" w={120} min={0} max={120} value={s.marginTopMm} onChange={(v) => typeof v === 'number' && onChange({ marginTopMm: v })} />
          <NumberInput label="Left margin (mm)" w={120} min={0} max={60} value={s.marginLeftMm} onChange={(v) => typeof v === 'number' && onChange({ marginLeftMm: v })} />
        </>
      )}
    </Group>
  );
}
