import { Grid, Input, NativeSelect, NumberInput, Paper, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Vitals } from '../../../shared/clinical';
import { bmiOf, parseTemperature, temperatureIn, VITAL_LIMITS, vitalWarnings, type NumericVital, type TemperatureUnit } from '../../../shared/vitals';

const VITAL_FIELDS: NumericVital[] = ['bpSystolic', 'bpDiastolic', 'pulse', 'temperatureC', 'spo2', 'respiratoryRate', 'weightKg', 'heightCm', 'bloodSugar'];

/**
 * Vitals labels stay on one line (the unit is shown inside the input instead), so every input in a
 * row sits at the same height; where a column is narrower than expected the label is cut with an
 * ellipsis and the full text is its title. Block, not Mantine's inline-block: an inline-block with
 * overflow hidden sits on its bottom edge and leaves a gap above the input.
 */
const ONE_LINE_LABEL = { display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '100%' } as const;

interface Props {
  vitals: Vitals;
  editable: boolean;
  /** The clinic's temperature unit: readings are shown in it; either unit may be typed. */
  temperatureUnit: TemperatureUnit;
  err: (path: string) => string | undefined;
  onVital: (key: keyof Vitals, value: number | string | null) => void;
}

const unitSection = (unit: string) => (
  <Text size="xs" c="dimmed" aria-hidden>
    {unit}
  </Text>
);

/** The vitals in one row of inputs with their units, the BMI worked out, and warnings for figures out of range. */
export function VitalsPanel({ vitals, editable, temperatureUnit, err, onVital }: Props) {
  const bmi = bmiOf(vitals);
  const warnings = vitalWarnings(vitals, temperatureUnit);
  return (
    <Paper withBorder p="sm" aria-label="Vitals" component="section">
      <Title order={5} mb={4}>
        Vitals
      </Title>
      <Grid gap="xs">
        {VITAL_FIELDS.map((key) => {
          if (key === 'temperatureC') {
            return (
              <Grid.Col span={{ base: 4, lg: 2 }} key={key}>
                <TemperatureInput celsius={vitals.temperatureC ?? null} unit={temperatureUnit} editable={editable} error={err('vitals.temperatureC')} onCelsius={(c) => onVital('temperatureC', c)} />
              </Grid.Col>
            );
          }
          const { label, unit } = VITAL_LIMITS[key];
          // The accessible name stays "BP systolic (mmHg)" etc.: screen readers (and tests) hear the unit.
          const fullLabel = `${label} (${unit})`;
          return (
            <Grid.Col span={{ base: 4, lg: 2 }} key={key}>
              <NumberInput
                label={label}
                aria-label={fullLabel}
                labelProps={{ title: fullLabel, style: ONE_LINE_LABEL }}
                rightSection={unitSection(unit)}
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

/**
 * Temperature as typed, in either unit ("101.2", "101.2 F", "38.4 C"; a bare number above 45 is °F):
 * the note holds °C exactly, the box keeps the doctor's text while they type and shows the
 * reading in the clinic's unit, to one decimal, when the note is opened.
 */
function TemperatureInput({ celsius, unit, editable, error, onCelsius }: { celsius: number | null; unit: TemperatureUnit; editable: boolean; error: string | undefined; onCelsius: (c: number | null) => void }) {
  const [text, setText] = useState(celsius === null ? '' : temperatureIn(celsius, unit));
  const [typo, setTypo] = useState<string | null>(null);
  const fullLabel = `Temperature (°${unit})`;
  return (
    <TextInput
      label="Temperature"
      aria-label={fullLabel}
      labelProps={{ title: `${fullLabel}; type F or C after the number for the other unit`, style: ONE_LINE_LABEL }}
      rightSection={unitSection(`°${unit}`)}
      rightSectionWidth={40}
      rightSectionPointerEvents="none"
      inputMode="decimal"
      value={text}
      readOnly={!editable}
      onChange={(e) => {
        const typed = e.currentTarget.value;
        setText(typed);
        const parsed = parseTemperature(typed);
        setTypo(parsed.ok ? null : parsed.error);
        if (parsed.ok) onCelsius(parsed.celsius);
      }}
      error={typo ?? error}
    />
  );
}
