import { Badge, Button, Grid, Group, Kbd, MultiSelect, NumberInput, Paper, Select, Stack, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import type { ConsultationNote, Vitals } from '../../../shared/clinical';
import { vitalChanges } from '../../../shared/vitals';
import { call, type ApiError, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { addDays, formatDay } from '../format';
import { DiagnosisPicker } from './DiagnosisPicker';
import { VitalsPanel } from './VitalsPanel';

type Data = Output<'consultations.get'>;
const AUTOSAVE_MS = 700;

/**
 * The visit note. While a draft, every change is saved as the doctor types; once completed it is
 * read-only, and "Amend" records a change beside the original with a reason.
 */
// Long by design: the note's state, autosave and amend flow are shared by every field it draws; its panels (vitals, templates, lab orders, amendments) are components below.
export function ConsultationForm({ data }: { data: Data }) {
  const completed = data.consultation?.status === 'completed';
  const [note, setNote] = useState<ConsultationNote>(data.note);
  const [amending, setAmending] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saveState, setSaveState] = useState<'saved' | 'partial' | 'saving' | 'unsaved' | 'error'>('saved');
  const [savedAt, setSavedAt] = useState<number | null>(data.consultation?.updatedAt ?? null);
  const [reviewDays, setReviewDays] = useState<number | ''>('');
  const dirty = useRef(false);
  const rejected = useRef<Record<string, string>>({});
  const editable = !completed || amending;

  // Autosave: the latest note is saved shortly after the doctor stops typing.
  useEffect(() => {
    if (!dirty.current || completed) return;
    setSaveState('unsaved');
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the timer restarts on each edit of the note only; save and completed are read fresh when it fires
  }, [note]);

  /** True when the whole note is saved; a field the server could not keep (an impossible vital) makes it false. */
  async function save(): Promise<boolean> {
    if (!dirty.current) return Object.keys(rejected.current).length === 0;
    setSaveState('saving');
    const r = await call('consultations.save', { visitId: data.visit.id, note });
    if (!r.ok) {
      setErrors(fieldsOf(r.error));
      setSaveState('error');
      return false;
    }
    dirty.current = false;
    // Everything else was saved; only the fields named here were not, and they show in red.
    rejected.current = r.value.rejected;
    setErrors(r.value.rejected);
    setSavedAt(r.value.savedAt);
    const partial = Object.keys(r.value.rejected).length > 0;
    setSaveState(partial ? 'partial' : 'saved');
    return !partial;
  }

  function update(patch: Partial<ConsultationNote>) {
    dirty.current = true;
    setNote((n) => ({ ...n, ...patch }));
  }
  function setVital(key: keyof Vitals, value: number | string | null) {
    const v = value === '' || value === null ? null : value;
    update({ vitals: { ...note.vitals, [key]: v } });
  }

  async function complete() {
    if (!(await save())) {
      const first = Object.values(rejected.current)[0];
      if (first) notifications.show({ color: 'red', message: `Not completed: ${first}` });
      return;
    }
    const r = await call('consultations.complete', { visitId: data.visit.id });
    if (r.ok) notifications.show({ color: 'teal', message: `Visit completed${r.value.followUpDate ? `; follow-up on ${formatDay(r.value.followUpDate)}` : ''}.` });
    else {
      setErrors(fieldsOf(r.error));
      notifications.show({ color: 'red', message: r.error.message });
    }
  }

  async function saveAmendment() {
    const changed = Object.fromEntries(
      (Object.keys(note) as (keyof ConsultationNote)[]).filter((k) => JSON.stringify(note[k]) !== JSON.stringify(data.note[k])).map((k) => [k, note[k]]),
    );
    const r = await call('consultations.amend', { visitId: data.visit.id, note: changed, reason });
    if (!r.ok) {
      setErrors(fieldsOf(r.error));
      notifications.show({ color: 'red', message: r.error.message });
      return;
    }
    notifications.show({ color: 'teal', message: `Amendment saved (${Object.keys(r.value.changes).join(', ')}).` });
    setAmending(false);
    setReason('');
  }

  useHotkeys([['mod+Enter', () => void (amending ? saveAmendment() : completed ? undefined : complete())]], []);

  const err = (path: string) => errors[`note.${path}`];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          {completed ? <Badge color="gray">Completed · locked</Badge> : <Badge color="blue">Draft</Badge>}
          {!completed && (
            <Text size="xs" c={saveState === 'error' || saveState === 'partial' ? 'red' : 'dimmed'} data-testid="save-state">
              {saveStateText(saveState, savedAt)}
            </Text>
          )}
        </Group>
        <TemplatePicker disabled={!editable} note={note} onApply={(t) => update(t)} />
      </Group>

      {/* Remounted when amending starts or is discarded, so the temperature box shows the note's own reading again. */}
      <VitalsPanel key={amending ? 'amending' : 'note'} vitals={note.vitals} editable={editable} temperatureUnit={data.temperatureUnit} err={err} onVital={setVital} />

      <TagsInput label="Chief complaints" placeholder="Type and press Enter" value={note.chiefComplaints} onChange={(v) => update({ chiefComplaints: v })} readOnly={!editable} />
      <Textarea label="History of present illness" autosize minRows={2} value={note.historyOfPresentIllness} onChange={(e) => update({ historyOfPresentIllness: e.currentTarget.value })} readOnly={!editable} />
      <Grid gap="xs">
        <Grid.Col span={6}>
          <Textarea label="Past history" autosize minRows={2} value={note.pastHistory} onChange={(e) => update({ pastHistory: e.currentTarget.value })} readOnly={!editable} />
        </Grid.Col>
        <Grid.Col span={6}>
          <Textarea label="Examination findings" autosize minRows={2} value={note.examination} onChange={(e) => update({ examination: e.currentTarget.value })} readOnly={!editable} />
        </Grid.Col>
      </Grid>
      <Paper withBorder p="sm" component="section" aria-label="Diagnoses">
        <Title order={5} mb={4}>
          Diagnoses
        </Title>
        <DiagnosisPicker value={note.diagnoses} onChange={(d) => update({ diagnoses: d })} readOnly={!editable} />
        {err('diagnoses') && (
          <Text size="xs" c="red">
            {err('diagnoses')}
          </Text>
        )}
      </Paper>
      <LabOrders data={data} canOrder={!completed} />
      <Textarea label="Investigations / notes on tests" autosize minRows={1} value={note.investigations} onChange={(e) => update({ investigations: e.currentTarget.value })} readOnly={!editable} />
      <Grid gap="xs">
        <Grid.Col span={6}>
          <Textarea label="Treatment plan" autosize minRows={2} value={note.treatmentPlan} onChange={(e) => update({ treatmentPlan: e.currentTarget.value })} readOnly={!editable} />
        </Grid.Col>
        <Grid.Col span={6}>
          <Textarea label="Advice" autosize minRows={2} value={note.advice} onChange={(e) => update({ advice: e.currentTarget.value })} readOnly={!editable} />
        </Grid.Col>
      </Grid>
      <Group align="flex-end">
        <TextInput label="Referral" value={note.referral} onChange={(e) => update({ referral: e.currentTarget.value })} readOnly={!editable} w={320} />
        <NumberInput
          label="Review in (days)"
          w={140}
          min={1}
          max={730}
          value={reviewDays}
          readOnly={!editable}
          onChange={(v) => {
            const days = typeof v === 'number' ? v : null;
            setReviewDays(typeof v === 'number' ? v : '');
            update({ followUpDate: days ? addDays(data.visit.date, days) : null });
          }}
          error={err('followUpDate')}
        />
        <Text size="sm" data-testid="follow-up">
          {note.followUpDate ? `Follow-up on ${formatDay(note.followUpDate)}` : 'No follow-up set'}
        </Text>
      </Group>

      {!completed && (
        <Group>
          <Button onClick={() => void complete()} rightSection={<Kbd size="xs">Ctrl+Enter</Kbd>}>
            Complete visit
          </Button>
        </Group>
      )}
      {completed && !amending && (
        <Button variant="default" w="fit-content" onClick={() => setAmending(true)}>
          Amend
        </Button>
      )}
      {amending && (
        <Group align="flex-end">
          <TextInput label="Reason for the amendment" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={360} error={errors.reason} />
          <Button onClick={() => void saveAmendment()}>Save amendment</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setNote(data.note);
              setAmending(false);
            }}
          >
            Discard
          </Button>
        </Group>
      )}
      <Amendments data={data} />
    </Stack>
  );
}

function saveStateText(state: 'saved' | 'partial' | 'saving' | 'unsaved' | 'error', savedAt: number | null): string {
  if (state === 'saving') return 'Saving…';
  if (state === 'unsaved') return 'Unsaved changes';
  if (state === 'error') return 'Not saved: fix the field in red';
  const at = savedAt ? ` ${new Date(savedAt).toLocaleTimeString('en-IN')}` : '';
  if (state === 'partial') return `Saved${at}, except the field in red`;
  return savedAt ? `Saved${at}` : 'Nothing saved yet';
}

function fieldsOf(error: ApiError): Record<string, string> {
  return error.fields ?? {};
}

function TemplatePicker({ note, onApply, disabled }: { note: ConsultationNote; onApply: (n: Partial<ConsultationNote>) => void; disabled: boolean }) {
  const templates = useMethod('templates.list', {});
  const [name, setName] = useState('');
  async function saveAs() {
    const r = await call('templates.save', { name, note });
    notifications.show(r.ok ? { color: 'teal', message: `Saved template “${r.value.name}”.` } : { color: 'red', message: r.error.message });
    if (r.ok) setName('');
  }
  return (
    <Group gap="xs" align="flex-end">
      <Select
        aria-label="Apply template"
        placeholder="Apply template…"
        size="xs"
        disabled={disabled}
        data={(templates.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
        value={null}
        onChange={(id) => {
          const t = templates.data?.find((x) => x.id === id);
          if (t) onApply(t.note);
        }}
      />
      <TextInput aria-label="Template name" placeholder="Save note as template…" size="xs" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <Button size="xs" variant="default" disabled={!name.trim()} onClick={() => void saveAs()}>
        Save template
      </Button>
    </Group>
  );
}

function LabOrders({ data, canOrder }: { data: Data; canOrder: boolean }) {
  const tests = useMethod('labs.tests', {});
  const [chosen, setChosen] = useState<string[]>([]);
  async function order() {
    const r = await call('labs.order', { visitId: data.visit.id, testIds: chosen });
    if (r.ok) setChosen([]);
    else notifications.show({ color: 'red', message: r.error.message });
  }
  return (
    <Paper withBorder p="sm" component="section" aria-label="Lab orders">
      <Title order={5} mb={4}>
        Lab tests
      </Title>
      {data.labs.map((l) => (
        <Text size="sm" key={l.orderId} c={l.result?.abnormal ? 'red' : undefined}>
          {l.testName}: {l.result ? `${l.result.value} ${l.result.unit ?? ''} (ref ${l.result.referenceRange ?? '—'})${l.result.abnormal ? ' · abnormal' : ''}` : l.status}
        </Text>
      ))}
      {canOrder && (
        <Group align="flex-end" gap="xs">
          <MultiSelect
            aria-label="Tests to order"
            placeholder="Choose tests"
            searchable
            data={(tests.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={chosen}
            onChange={setChosen}
            w={420}
          />
          <Button size="xs" variant="default" disabled={chosen.length === 0} onClick={() => void order()}>
            Order
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function Amendments({ data }: { data: Data }) {
  if (data.amendments.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label="Amendments">
      <Title order={5}>Amendments</Title>
      {data.amendments.map((a) => (
        <Stack key={a.id} gap={0} mt={4}>
          <Text size="sm" fw={600}>
            {new Date(a.at).toLocaleString('en-IN')} · {a.authorName}: {a.reason}
          </Text>
          {Object.entries(a.changes).flatMap(([field, c]) =>
            // Vitals are kept in °C, unrounded: each changed reading is shown in the clinic's unit.
            field === 'vitals'
              ? vitalChanges(vitalsOf(c.before), vitalsOf(c.after), data.temperatureUnit).map((v) => (
                  <Text size="xs" key={`vitals.${v.label}`}>
                    {v.label}: was <i>{v.before ?? '(empty)'}</i>, now <b>{v.after ?? '(empty)'}</b>
                  </Text>
                ))
              : [
                  <Text size="xs" key={field}>
                    {field}: was <i>{show(c.before)}</i>, now <b>{show(c.after)}</b>
                  </Text>,
                ],
          )}
        </Stack>
      ))}
    </Paper>
  );
}

/** An amendment's vitals as recorded (a JSON object); anything else reads as no readings. */
const vitalsOf = (v: unknown): Vitals => (typeof v === 'object' && v !== null ? v : {});

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
