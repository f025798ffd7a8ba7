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

const LOCAL_ONLY_TIP =
  "This workstation keeps its data on this computer; an administrator can connect it to the clinic's sync server on the Sync screen";

/** Always in the header: whether this workstation is syncing, and how much is waiting to go. */
export function SyncIndicator({ canManage }: { canManage: boolean }) {
  const navigate = useNavigate();
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => fetchValue('sync.status'), refetchInterval: 5_000 });
  if (!status.data) return null;
  const s = status.data;
  const open = () => canManage && void navigate('/sync');
  // A clinic that never enrolled is working as intended. Its outbox only grows until it enrols (then
  // everything goes up), so a "to send" count here would look like a fault that never clears.
  if (!s.enrolled) {
    return (
      <Tooltip label={LOCAL_ONLY_TIP} multiline w={320}>
        <UnstyledButton onClick={open} aria-label="Sync status">
          <Badge color="gray" variant="light" data-testid="sync-status">
            Local only
          </Badge>
        </UnstyledButton>
      </Tooltip>
    );
  }
  const [label, color] = LABEL[s.state];
  const pending = s.pending > 0 ? ` · ${s.pending} to send` : '';
  // Red with only "Online" on it read as a contradiction: say what the red is for.
  const refused = s.rejected > 0 ? ` · ${s.rejected} refused` : '';
  const detail = [
    s.lastSyncAt ? `Last synced ${new Date(s.lastSyncAt).toLocaleTimeString('en-IN')}` : 'Not synced yet',
    s.rejected > 0 ? `${s.rejected} change(s) refused by the server` : null,
    s.lastError,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip label={detail}>
      <UnstyledButton onClick={open} aria-label="Sync status">
        <Badge color={s.rejected > 0 ? 'red' : color} variant="light" data-testid="sync-status">
          {label}
          {pending}
          {refused}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
