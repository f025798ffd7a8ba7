import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { downloadJobDocument, waitForJob } from '../api/jobs';
import { formatRupees } from '../billing/money';
import { today as todayIn } from '../format';
import { useSession } from '../session';
import { Figures } from './parts';

/*
 * GST export for the accountant: GSTR-1 for a month (last month unless chosen) or a range of days,
 * as the GSTN offline tool's JSON, as CSV and as a one-page summary PDF, with the section totals
 * on screen. Every export is audited by the service.
 */

type Period = { month: string } | { from: string; to: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month before the one `day` is in: "2026-11-21" -> "2026-10". */
function lastMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function save(fileName: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function GstExport() {
  const { timeZone } = useSession();
  const today = todayIn(timeZone);
  const [mode, setMode] = useState<'month' | 'range'>('month');
  const [month, setMonth] = useState(lastMonth(today));
  const [from, setFrom] = useState(`${lastMonth(today)}-01`);
  const [to, setTo] = useState(today);
  const valid = mode === 'month' ? MONTH.test(month) : DAY.test(from) && DAY.test(to) && from <= to;
  const period: Period = mode === 'month' ? { month } : { from, to };
  return (
    <Paper withBorder p="md" component="section" aria-label="GST export">
      <Group justify="space-between" align="end" mb="sm">
        <Title order={4}>GST export (GSTR-1)</Title>
        <Group align="end" gap="sm" role="group" aria-label="GST period">
          <SegmentedControl size="xs" value={mode} onChange={(v) => setMode(v === 'range' ? 'range' : 'month')} data={[{ label: 'Month', value: 'month' }, { label: 'Date range', value: 'range' }]} aria-label="Export a month or a date range" />
          {mode === 'month' ? (
            <TextInput type="month" label="GST month" value={month} max={today.slice(0, 7)} onChange={(e) => setMonth(e.currentTarget.value)} />
          ) : (
            <>
              <TextInput type="date" label="GST from" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
              <TextInput type="date" label="GST to" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
            </>
          )}
        </Group>
      </Group>
      {!valid ? <Text c="red">{mode === 'month' ? 'Choose a month.' : 'Choose a From date on or before the To date.'}</Text> : <GstPeriodView period={period} />}
    </Paper>
  );
}

/** The buttons and the section totals of one period. */
function GstPeriodView({ period }: { period: Period }) {
  const q = useMethod('reports.gstr1', period);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const r = q.data;
  const pdf = async () => {
    setBusy(true);
    const started = await call('reports.gstSummaryPdf', period);
    const failed = !started.ok ? started.error.message : await downloadJobDocument(await waitForJob(started.value.id));
    setBusy(false);
    setMessage(failed);
  };
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button size="xs" disabled={!r} onClick={() => r && save(r.fileNames.json, JSON.stringify(r.json, null, 2), 'application/json')} aria-label="Download GSTR-1 JSON">
          GSTR-1 JSON
        </Button>
        <Button size="xs" variant="default" disabled={!r} onClick={() => r && save(r.fileNames.csv, r.csv, 'text/csv;charset=utf-8')} aria-label="Download GSTR-1 CSV">
          CSV
        </Button>
        <Button size="xs" variant="default" disabled={!r} loading={busy} onClick={() => void pdf()} aria-label="Download GST summary PDF">
          Summary PDF
        </Button>
        {message && <Text size="sm" c="red">{message}</Text>}
      </Group>
      {q.error ? <Text c="red">{q.error.message}</Text> : !r ? <Text c="dimmed">Loading…</Text> : <GstTotals summary={r.summary} />}
    </Stack>
  );
}

type Summary = Output<'reports.gstr1'>['summary'];

/** What the accountant checks before filing: each section's figures, and the warnings. */
function GstTotals({ summary: s }: { summary: Summary }) {
  const t = s.totals;
  return (
    <>
      <Text size="sm">
        GSTIN {s.clinic.gstin} · return period {s.period.slice(0, 2)}/{s.period.slice(2)} · {s.range.from} to {s.range.to}. Prepared by the clinic software: check before filing.
      </Text>
      {s.warnings.map((w) => (
        <Text key={w} size="sm" c="orange.8">{w}</Text>
      ))}
      <Figures
        caption={`B2C (others), table 7: taxable ${formatRupees(t.taxablePaise)}, CGST ${formatRupees(t.cgstPaise)}, SGST ${formatRupees(t.sgstPaise)}`}
        head={['Rate', 'Taxable value', 'CGST', 'SGST']}
        rows={s.b2cs.map((b) => [`${b.rateBp / 100}%`, formatRupees(b.taxablePaise), formatRupees(b.cgstPaise), formatRupees(b.sgstPaise)])}
      />
      <Figures
        caption={`HSN/SAC summary, table 12: ${s.hsn.length} rows`}
        head={['HSN/SAC', 'UQC', 'Quantity', 'Rate', 'Taxable value', 'CGST', 'SGST']}
        rows={s.hsn.map((h) => [h.code || '(no code)', h.uqc, h.quantity, `${h.rateBp / 100}%`, formatRupees(h.taxablePaise), formatRupees(h.cgstPaise), formatRupees(h.sgstPaise)])}
      />
      <Figures
        caption="Nil rated, exempted and non-GST supplies, table 8"
        head={['Supplies', 'Nil rated', 'Exempted', 'Non-GST']}
        rows={[['Intra-state B2C', formatRupees(s.nil.nilPaise), formatRupees(s.nil.exemptPaise), formatRupees(s.nil.nonGstPaise)]]}
      />
      <Figures
        caption="Documents issued, table 13"
        head={['Nature of document', 'From', 'To', 'Total', 'Cancelled', 'Net issued']}
        rows={s.documents.flatMap((g) => g.series.map((x) => [g.label, x.from, x.to, x.total, x.cancelled, x.total - x.cancelled]))}
      />
    </>
  );
}
