import { Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { useSession } from '../session';
import { hasPermission } from '../../../shared/permissions';
import { FormError } from '../FormError';
import { formatDay } from '../format';
import { useCertificateOutput } from './useCertificateOutput';

export type CertificateRow = Output<'certificates.list'>[number];

const KIND = { medical_leave: 'Medical', fitness: 'Fitness' } as const;

/** One line: number, kind, what it certifies, and whether it was voided (and why). */
export function certificateLine(c: Pick<CertificateRow, 'number' | 'kind' | 'diagnosis' | 'restFrom' | 'restTo' | 'days' | 'fitFrom' | 'purpose'>): string {
  const what = c.kind === 'medical_leave' ? `rest ${formatDay(c.restFrom ?? '')} – ${formatDay(c.restTo ?? '')} (${c.days ?? '?'} days)` : `fit for ${c.purpose ?? ''} from ${formatDay(c.fitFrom ?? '')}`;
  return `${c.number} · ${KIND[c.kind]} · ${c.diagnosis} · ${what}`;
}

/** A patient's certificates, for those who may see them (a cashier's screen does not ask, so no refusal is audited). */
export function CertificateList({ patientId }: { patientId: string }) {
  const { user } = useSession();
  return hasPermission(user.roles, 'certificates.read') ? <Certificates patientId={patientId} /> : null;
}

/** A patient's certificates with Reprint and PDF (reception hands out copies; each is audited); their doctor may void one. */
function Certificates({ patientId }: { patientId: string }) {
  const list = useMethod('certificates.list', { patientId });
  const { output, busy, done, error } = useCertificateOutput();
  const { user } = useSession();
  const [voiding, setVoiding] = useState<string | null>(null);
  if (!list.data || list.data.length === 0) return null;
  return (
    <Paper withBorder p="xs" component="section" aria-label="Certificates">
      <Title order={6}>Certificates</Title>
      <Stack gap={4}>
        {list.data.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="certificate-row">
            <Text size="sm" td={c.voidedAt ? 'line-through' : undefined}>
              {certificateLine(c)} · {c.doctorName}
            </Text>
            {c.voidedAt ? (
              <Badge color="gray" title={c.voidReason ?? ''}>void</Badge>
            ) : (
              <Group gap={4} wrap="nowrap">
                {c.doctorId === user.id && (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setVoiding(c.id)}>
                    Void…
                  </Button>
                )}
                <Button size="compact-xs" variant="light" loading={busy === `${c.id}:print`} onClick={() => void output(c.id, 'print')}>
                  Reprint
                </Button>
                <Button size="compact-xs" variant="default" loading={busy === `${c.id}:pdf`} onClick={() => void output(c.id, 'pdf')}>
                  PDF
                </Button>
              </Group>
            )}
          </Group>
        ))}
      </Stack>
      {voiding && <VoidForm id={voiding} onDone={() => setVoiding(null)} />}
      {done && (
        <Text size="xs" c="teal">
          {done}
        </Text>
      )}
      <FormError error={error} p="xs" mt={4} />
    </Paper>
  );
}

/** The reason a certificate is voided (printed nowhere, kept in the record and the audit); Enter voids, Escape cancels. */
function VoidForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    const r = await call('certificates.void', { id, reason });
    if (r.ok) onDone();
    else setError(r.error.fields?.reason ?? r.error.message);
  }
  return (
    <Group align="flex-end" gap="xs" mt={4}>
      <TextInput
        autoFocus
        label="Why is it void?"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        onKeyDown={(e) => (e.key === 'Enter' ? void confirm() : e.key === 'Escape' ? onDone() : undefined)}
        error={error}
        style={{ flex: 1 }}
      />
      <Button size="xs" color="red" onClick={() => void confirm()}>
        Void
      </Button>
      <Button size="xs" variant="default" onClick={onDone}>
        Cancel
      </Button>
    </Group>
  );
}
