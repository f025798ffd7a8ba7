import { Alert, Badge, Button, Code, Group, Kbd, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { call } from '../api/client';
import { waitForJob } from '../api/jobs';
import { dateTime } from '../format';
import { useSession } from '../session';

/** What the server answered (server/abdm/connection-check.ts), or why there is no answer. */
interface Checked {
  ok: boolean;
  code?: string;
  message?: string;
  configured?: boolean;
  session?: 'ok' | 'bad_credentials' | 'unreachable' | 'gateway_error' | 'off';
  problems?: string[];
  checkedAt?: number;
  /** The SMS sender of link OTPs (server/abdm/sms.ts): never its key. */
  sms?: { configured: false } | { configured: true; provider: string; senderId: string; templateId: string; dltTemplateId: string; clinicName: string | null };
  settings?: null | { gatewayUrl: string; clientId: string; hipId: string; cmId: string; publicBaseUrl: string; shareCallbackUrl: string; clinicId: string | null; abhaUrl: string | null };
}

const SESSION: Record<NonNullable<Checked['session']>, { label: string; color: string }> = {
  ok: { label: 'Connected: the gateway gave a session', color: 'green' },
  bad_credentials: { label: 'Bad credentials', color: 'red' },
  unreachable: { label: 'Gateway unreachable', color: 'red' },
  gateway_error: { label: 'Gateway error', color: 'red' },
  off: { label: 'ABDM not configured', color: 'gray' },
};

/**
 * Facility screen: the ABDM settings the clinic server runs with and a connection check (Alt+K).
 * The settings are the server's environment (README "Sync", ABDM), never typed here: the client
 * secret stays on the server, and this desk only sees what the server reports.
 */
export function AbdmSettings() {
  const { timeZone } = useSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Checked | null>(null);
  const check = async () => {
    if (busy) return;
    setBusy(true);
    const started = await call('abdm.checkConnection', {});
    if (!started.ok) setResult({ ok: false, code: started.error.code, message: started.error.message });
    else {
      const job = await waitForJob(started.value.id);
      setResult(job.status === 'done' && job.result ? (job.result as unknown as Checked) : { ok: false, code: 'failed', message: job.message ?? 'The check did not finish.' });
    }
    setBusy(false);
  };
  useHotkeys([['alt+K', () => void check()]], []);
  const s = result?.settings ?? null;
  return (
    <Paper withBorder p="md" component="section" aria-label="ABDM connection">
      <Stack gap="xs">
        <Title order={4}>ABDM connection</Title>
        <Text size="sm" c="dimmed">
          The clinic server is the clinic&apos;s link to ABDM. Its settings come from the server&apos;s environment (<Code>ABDM_CLIENT_ID</Code>, <Code>ABDM_CLIENT_SECRET</Code>, <Code>ABDM_HIP_ID</Code>,{' '}
          <Code>ABDM_PUBLIC_BASE_URL</Code>, <Code>ABDM_GATEWAY_URL</Code>, <Code>ABDM_CM_ID</Code>): change them there and restart the server (README, &quot;Sync&quot;, ABDM; docs/ABDM.md &quot;Configuration&quot;). The counters are the QR posters below.
        </Text>
        <Group>
          <Button onClick={() => void check()} loading={busy} rightSection={<Kbd size="xs">Alt+K</Kbd>}>
            Check connection
          </Button>
          {result?.ok && result.session && <Badge size="lg" color={SESSION[result.session].color} variant="light">{SESSION[result.session].label}</Badge>}
          {result?.ok && result.checkedAt && <Text size="xs" c="dimmed">checked {dateTime(result.checkedAt, timeZone)}</Text>}
        </Group>
        {result && !result.ok && <Alert color={result.code === 'offline' ? 'orange' : 'red'} p="xs" role="alert">{result.message}</Alert>}
        {result?.ok && (result.problems ?? []).length > 0 && (
          <Alert color="red" p="xs" role="alert" title="What to fix">
            {(result.problems ?? []).map((p) => <Text size="sm" key={p}>{p}</Text>)}
          </Alert>
        )}
        {s && (
          <Table fz="sm" aria-label="ABDM settings on the server" withRowBorders={false}>
            <Table.Tbody>
              <Row label="Gateway" value={s.gatewayUrl} />
              <Row label="Client id" value={s.clientId} />
              <Row label="HFR facility id (HIP id)" value={s.hipId} />
              <Row label="Consent manager (X-CM-ID)" value={s.cmId} />
              <Row label="Callback base URL" value={s.publicBaseUrl} />
              <Row label="Scan & Share callback" value={s.shareCallbackUrl} />
              <Row label="ABHA service" value={s.abhaUrl ?? '—'} />
              <Row label="Client secret" value="kept on the server, never shown" />
              <Row
                label="SMS for link OTPs"
                value={result?.sms?.configured ? `${result.sms.provider.toUpperCase()}, sender ${result.sms.senderId}, DLT template ${result.sms.dltTemplateId} (key kept on the server)` : 'not configured: patients cannot link records from their ABHA app'}
              />
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Th w={240}>{label}</Table.Th>
      <Table.Td><Code>{value}</Code></Table.Td>
    </Table.Tr>
  );
}
