import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';
import { Figures, ReportCard } from './parts';
import type { Range } from './ReportsScreen';

/** OPD census: visits per day (chart and table) and per doctor. */
export function CensusReport({ range }: { range: Range }) {
  const q = useMethod('reports.census', range);
  const r = q.data;
  return (
    <ReportCard title="OPD census" report="census" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart h={200} data={r.byDay.map((d) => ({ day: formatDay(d.day), Visits: d.visits }))} dataKey="day" series={[{ name: 'Visits', color: 'teal.6' }]} />
          <Figures caption={`Visits by doctor (${r.totalVisits} in all)`} head={['Doctor', 'Visits']} rows={r.byDoctor.map((d) => [d.doctorName, d.visits])} />
          <Figures caption="Visits by day" head={['Day', 'Visits']} rows={r.byDay.filter((d) => d.visits > 0).map((d) => [formatDay(d.day), d.visits])} />
        </>
      )}
    </ReportCard>
  );
}

/** New patients vs follow-up visits per day. */
export function VisitTypesReport({ range }: { range: Range }) {
  const q = useMethod('reports.visitTypes', range);
  const r = q.data;
  return (
    <ReportCard title="New and follow-up visits" report="visitTypes" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart
            h={200}
            type="stacked"
            withLegend
            data={r.byDay.map((d) => ({ day: formatDay(d.day), New: d.newVisits, 'Follow-up': d.followUpVisits }))}
            dataKey="day"
            series={[{ name: 'New', color: 'blue.6' }, { name: 'Follow-up', color: 'orange.6' }]}
          />
          <Figures caption="New and follow-up visits" head={['Visits', 'New', 'Follow-up']} rows={[['All days', r.newVisits, r.followUpVisits]]} />
        </>
      )}
    </ReportCard>
  );
}
