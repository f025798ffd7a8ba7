import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { fetchValue } from '../api/client';

const LABEL = {
  off: ['Sync off', 'gray'],
  'not-enrolled': ['Not enrolled', 'gray'],
  connecting: ['Connecting…', 'yellow'],
  online: ['Online', 'teal'],
  offline: ['Offline', 'orange'],
  refused: ['Sync refused', 'red'],
} as const;

/** Always in the header: whether this workstation is syncing, and how much is waiting to go. */
export function SyncIndicator({ canManage }: { canManage: boolean }) {
  const navigate = useNavigate();
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => fetchValue('sync.status'), refetchInterval: 5_000 });
  if (!status.data) return null;
  const s = status.data;
  const [label, color] = LABEL[s.state];
  const pending = s.pending > 0 ? ` · ${s.pending} to send` : '';
  const detail = [
    s.lastSyncAt ? `Last synced ${new Date(s.lastSyncAt).toLocaleTimeString('en-IN')}` : 'Not synced yet',
    s.rejected > 0 ? `${s.rejected} change(s) refused by the server` : null,
    s.lastError,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip label={detail}>
      <UnstyledButton onClick={() => canManage && void navigate('/sync')} aria-label="Sync status">
        <Badge color={s.rejected > 0 ? 'red' : color} variant="light" data-testid="sync-status">
          {label}
          {pending}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
