import { Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { addDays, today as todayIn } from '../format';
import { useSession } from '../session';
import { CensusReport, VisitTypesReport } from './VisitReports';
import { RefundsDiscountsReport, RevenueReport } from './MoneyReports';
import { DiagnosesReport, FollowUpsReport } from './ClinicalReports';
import { GstExport } from './GstExport';

export interface Range {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The owner's reports: one date range for every report, each a chart with its figures under it. */
export function ReportsScreen() {
  const { timeZone } = useSession();
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const valid = DAY.test(from) && DAY.test(to) && from <= to;
  const range: Range = { from, to };
  return (
    <Stack gap="md">
      <Group justify="space-between" align="end">
        <Title order={3}>Reports</Title>
        <Group align="end" gap="sm" role="group" aria-label="Date range">
          <TextInput type="date" label="From" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
          <Text size="sm" c="dimmed" pb={8}>
            <a href="#/reports" onClick={(e) => { e.preventDefault(); setFrom(addDays(today, -29)); setTo(today); }}>Last 30 days</a>
            {' · '}
            <a href="#/reports" onClick={(e) => { e.preventDefault(); setFrom(addDays(today, -364)); setTo(today); }}>Last 12 months</a>
          </Text>
        </Group>
      </Group>
      {!valid ? (
        <Text c="red">Choose a From date on or before the To date.</Text>
      ) : (
        <>
          <CensusReport range={range} />
          <VisitTypesReport range={range} />
          <RevenueReport range={range} />
          <RefundsDiscountsReport range={range} />
          <DiagnosesReport range={range} />
          <FollowUpsReport range={range} />
        </>
      )}
      <GstExport />
    </Stack>
  );
}
