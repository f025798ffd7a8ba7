import { Badge, Button, Grid, Group, Input, Kbd, MultiSelect, NativeSelect, NumberInput, Paper, Select, Stack, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import type { ConsultationNote, Vitals } from '../../../shared/clinical';
import { bmiOf, VITAL_LIMITS, vitalWarnings, type NumericVital } from '../../../shared/vitals';
import { call, type ApiError, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { addDays, formatDay } from '../format';
import { DiagnosisPicker } from './DiagnosisPicker';

type Data = Output<'consultations.get'>;
const VITAL_FIELDS: NumericVital[] = ['bpSystolic', 'bpDiastolic', 'pulse', 'temperatureC', 'spo2', 'respiratoryRate', 'weightKg', 'heightCm', 'bloodSugar'];
const AUTOSAVE_MS = 700;
/**
 * Vitals labels stay on one line (the unit is shown inside the input instead), so every input in a
 * row sits at the same height; where a column is narrower than expected the label is cut with an
 * ellipsis and the full text is its title. Block, not Mantine's inline-block: an inline-block with
 * overflow hidden sits on its bottom edge and leaves a gap above the input.
 */
const ONE_LINE_LABEL = { display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '100%' } as const;

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
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'unsaved' | 'error'>('saved');
  const [savedAt, setSavedAt] = useState<number | null>(data.consultation?.updatedAt ?? null);
  const [reviewDays, setReviewDays] = useState<number | ''>('');
  const dirty = useRef(false);
  const editable = !completed || amending;

  // Autosave: the latest note is saved shortly after the doctor stops typing.
  useEffect(() => {
    if (!dirty.current || completed) return;
    setSaveState('unsaved');
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the timer restarts on each edit of the note only; save and completed are read fresh when it fires
  }, [note]);

  async function save(): Promise<boolean> {
    if (!dirty.current) return true;
    setSaveState('saving');
    const r = await call('consultations.save', { visitId: data.visit.id, note });
    if (!r.ok) {
      setErrors(fieldsOf(r.error));
      setSaveState('error');
      return false;
    }
    dirty.current = false;
    setErrors({});
    setSavedAt(r.value.savedAt);
    setSaveState('saved');
    return true;
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
    if (!(await save())) return;
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
            <Text size="xs" c={saveState === 'error' ? 'red' : 'dimmed'} data-testid="save-state">
              {saveState === 'saving' ? 'Saving…' : saveState === 'unsaved' ? 'Unsaved changes' : saveState === 'error' ? 'Not saved: fix the field in red' : savedAt ? `Saved ${new Date(savedAt).toLocaleTimeString('en-IN')}` : 'Nothing saved yet'}
            </Text>
          )}
        </Group>
        <TemplatePicker disabled={!editable} note={note} onApply={(t) => update(t)} />
      </Group>

      <VitalsPanel vitals={note.vitals} editable={editable} err={err} onVital={setVital} />

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

/** The vitals in one row of inputs with their units, the BMI worked out, and warnings for figures out of range. */
function VitalsPanel({
  vitals,
  editable,
  err,
  onVital,
}: {
  vitals: Vitals;
  editable: boolean;
  err: (path: string) => string | undefined;
  onVital: (key: keyof Vitals, value: number | string | null) => void;
}) {
  const bmi = bmiOf(vitals);
  const warnings = vitalWarnings(vitals);
  return (
    <Paper withBorder p="sm" aria-label="Vitals" component="section">
      <Title order={5} mb={4}>
        Vitals
      </Title>
      <Grid gap="xs">
        {VITAL_FIELDS.map((key) => {
          const { label, unit } = VITAL_LIMITS[key];
          // The accessible name stays "BP systolic (mmHg)" etc.: screen readers (and tests) hear the unit.
          const fullLabel = `${label} (${unit})`;
          return (
            <Grid.Col span={{ base: 4, lg: 2 }} key={key}>
              <NumberInput
                label={label}
                aria-label={fullLabel}
                labelProps={{ title: fullLabel, style: ONE_LINE_LABEL }}
                rightSection={
                  <Text size="xs" c="dimmed" aria-hidden>
                    {unit}
                  </Text>
                }
                rightSectionWidth={unit.length > 3 ? 52 : 40}
                rightSectionPointerEvents="none"
                value={vitals[key] ?? ''}
                onChange={(v) => onVital(key, v)}
                readOnly={!editable}
                hideControls
                decimalScale={1}
                error={err(`vitals.${key}`)}
              />
            </Grid.Col>
          );
        })}
        <Grid.Col span={{ base: 4, lg: 2 }}>
          <NativeSelect
            label="Sugar taken"
            labelProps={{ style: ONE_LINE_LABEL }}
            data={['', 'fasting', 'random', 'post-prandial']}
            value={vitals.bloodSugarType ?? ''}
            disabled={!editable}
            onChange={(e) => onVital('bloodSugarType', e.currentTarget.value || null)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 4, lg: 2 }}>
          {/* Same label and box height as the inputs beside it, so the row reads as one line. */}
          <Input.Wrapper label="BMI" labelElement="div" labelProps={{ style: ONE_LINE_LABEL }}>
            <Text data-testid="bmi" h="calc(2.25rem * var(--mantine-scale))" style={{ display: 'flex', alignItems: 'center' }}>
              {bmi ?? '—'}
            </Text>
          </Input.Wrapper>
        </Grid.Col>
      </Grid>
      {warnings.length > 0 && (
        <Text size="xs" c="orange" mt={4}>
          {warnings.map((w) => w.message).join(' · ')}
        </Text>
      )}
    </Paper>
  );
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
          {Object.entries(a.changes).map(([field, c]) => (
            <Text size="xs" key={field}>
              {field}: was <i>{show(c.before)}</i>, now <b>{show(c.after)}</b>
            </Text>
          ))}
        </Stack>
      ))}
    </Paper>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
