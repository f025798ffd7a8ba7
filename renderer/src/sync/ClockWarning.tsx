import { Alert } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { fetchValue } from '../api/client';
import { clockWarning } from './clock';

/** For everyone, on every screen: this computer's clock is off (measured against the sync server). */
export function ClockWarning() {
  // The same query as the header's sync badge: one request serves both.
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => fetchValue('sync.status'), refetchInterval: 5_000 });
  const text = clockWarning(status.data?.clockSkewMs ?? null);
  if (!text) return null;
  return (
    <Alert color="red" variant="filled" role="alert" mb="sm" data-testid="clock-warning">
      {text}
    </Alert>
  );
}
