import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';
import { certificateLine } from '../certificates/CertificateList';
import { LabTrends } from '../lab/LabTrends';
import { TimelineAttachments } from './TimelineAttachments';

/** A value the test's unit belongs to ("12.5", "<0.1"); words ("See attached report", "Positive") take none. */
const MEASURED = /^[<>≤≥]?\s*[-+]?\d/;

/** Past visits, newest first, and how weight, BP and sugar have moved. */
export function Timeline({ patientId }: { patientId: string }) {
  const t = useMethod('patients.timeline', { patientId });
  if (!t.data) return <Text c="dimmed">{t.error?.message ?? 'Loading…'}</Text>;
  const { visits, trend, labTrends, attachments } = t.data;
  return (
    <Stack gap="sm">
      <LabTrends trends={labTrends} />
      {trend.length > 1 && (
        <Paper withBorder p="sm" component="section" aria-label="Vitals trend">
          <Title order={5} mb="xs">
            Trends
          </Title>
          <LineChart
            h={180}
            data={trend.map((p) => ({ ...p, date: formatDay(p.date) }))}
            dataKey="date"
            connectNulls
            withLegend
            series={[
              { name: 'bpSystolic', label: 'BP systolic', color: 'red.6' },
              { name: 'bpDiastolic', label: 'BP diastolic', color: 'orange.6' },
              { name: 'weightKg', label: 'Weight (kg)', color: 'blue.6' },
              { name: 'bloodSugar', label: 'Sugar (mg/dL)', color: 'grape.6' },
            ]}
          />
        </Paper>
      )}
      <TimelineAttachments files={attachments} />
      {visits.map((v) => (
        <Paper withBorder p="sm" key={v.visitId} data-testid="timeline-visit">
          <Group justify="space-between">
            <Text fw={600}>
              {formatDay(v.date)} · {v.doctorName}
            </Text>
            <Group gap={4}>
              {v.status && <Badge variant="light">{v.status}</Badge>}
              {v.amended && <Badge color="yellow">amended</Badge>}
            </Group>
          </Group>
          {Object.keys(v.vitals).length > 0 && (
            <Text size="sm">
              {v.vitals.bpSystolic != null && `BP ${v.vitals.bpSystolic}/${v.vitals.bpDiastolic ?? '—'} · `}
              {v.vitals.pulse != null && `Pulse ${v.vitals.pulse} · `}
              {v.vitals.weightKg != null && `Wt ${v.vitals.weightKg} kg · `}
              {v.bmi != null && `BMI ${v.bmi} · `}
              {v.vitals.bloodSugar != null && `Sugar ${v.vitals.bloodSugar}`}
            </Text>
          )}
          {v.chiefComplaints.length > 0 && <Text size="sm">Complaints: {v.chiefComplaints.join(', ')}</Text>}
          {v.diagnoses.length > 0 && <Text size="sm">Diagnoses: {v.diagnoses.map((d) => (d.code ? `${d.code} ${d.title}` : d.title)).join('; ')}</Text>}
          {v.labs.map((l) => (
            <Text size="sm" key={l.testName} c={l.abnormal ? 'red' : undefined}>
              {l.testName}: {l.value ? `${l.value}${l.unit && MEASURED.test(l.value) ? ` ${l.unit}` : ''}${l.flag ? ` ${l.flag}` : ''}${l.status === 'verified' ? '' : ` (${l.status})`}` : l.status}
              {l.attached && ` · Outside lab report attached (${l.attached.title}, ${formatDay(l.attached.date)})`}
            </Text>
          ))}
          {v.certificates.map((c) => (
            <Text size="sm" key={c.id} td={c.voidedAt ? 'line-through' : undefined} data-testid="timeline-certificate">
              Certificate {certificateLine(c)}
              {c.voidReason ? ` (void: ${c.voidReason})` : ''}
            </Text>
          ))}
          {v.followUpDate && <Text size="xs" c="dimmed">Follow-up {formatDay(v.followUpDate)}</Text>}
        </Paper>
      ))}
    </Stack>
  );
}
