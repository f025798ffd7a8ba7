import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';
import { Figures, ReportCard } from './parts';
import type { Range } from './ReportsScreen';

/** The most frequent ICD-10 diagnoses of completed consultations. */
export function DiagnosesReport({ range }: { range: Range }) {
  const q = useMethod('reports.diagnoses', range);
  const r = q.data;
  return (
    <ReportCard title="Top diagnoses" report="diagnoses" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart h={220} data={r.top.slice(0, 10).map((d) => ({ code: d.code, Consultations: d.consultations }))} dataKey="code" series={[{ name: 'Consultations', color: 'indigo.6' }]} />
          <Figures caption="Top diagnoses (ICD-10)" head={['Code', 'Diagnosis', 'Consultations']} rows={r.top.map((d) => [d.code, d.title, d.consultations])} />
          {r.uncoded.diagnoses > 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              {r.uncoded.diagnoses} diagnoses in {r.uncoded.consultations} consultations were written without an ICD-10 code.
            </Text>
          )}
        </>
      )}
    </ReportCard>
  );
}

/** Follow-ups that fell due in the range: kept, missed, still pending, by doctor. */
export function FollowUpsReport({ range }: { range: Range }) {
  const q = useMethod('reports.followUps', range);
  const r = q.data;
  return (
    <ReportCard title="Follow-ups kept and missed" report="followUps" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart
            h={180}
            type="stacked"
            withLegend
            data={r.byDoctor.map((d) => ({ doctor: d.doctorName, Kept: d.kept, Missed: d.missed, Pending: d.pending }))}
            dataKey="doctor"
            series={[{ name: 'Kept', color: 'teal.6' }, { name: 'Missed', color: 'red.6' }, { name: 'Pending', color: 'gray.5' }]}
          />
          <Figures
            caption={`Follow-ups due: ${r.advised}; kept ${r.kept}, missed ${r.missed}, pending ${r.pending} (a return up to ${r.windowDays} days after the date counts; window open until ${formatDay(r.windowEndsOn)})`}
            head={['Doctor', 'Due', 'Kept', 'Missed', 'Pending']}
            rows={r.byDoctor.map((d) => [d.doctorName, d.advised, d.kept, d.missed, d.pending])}
          />
        </>
      )}
    </ReportCard>
  );
}
