import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { call } from '../api/client';
import type { CurrentUser } from '../session';

interface Props {
  facilityName: string | null;
  notice?: string | null;
  /** When set, only this user may log in (unlocking a locked screen). */
  username?: string;
  title?: string;
  onLoggedIn: (user: CurrentUser) => void;
  extra?: React.ReactNode;
}

export function LoginScreen({ facilityName, notice, username: fixedUser, title, onLoggedIn, extra }: Props) {
  const [username, setUsername] = useState(fixedUser ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await call('auth.login', { username, password });
    setBusy(false);
    if (result.ok) onLoggedIn(result.value.user);
    else {
      setError(result.error.message);
      setPassword('');
    }
  }

  return (
    <Center h="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <div>
            <Title order={3}>{title ?? 'Log in'}</Title>
            {facilityName && <Text c="dimmed">{facilityName}</Text>}
          </div>
          {notice && !error && (
            <Alert color="yellow" role="status">
              {notice}
            </Alert>
          )}
          <TextInput
            label="Username"
            autoComplete="username"
            value={username}
            readOnly={fixedUser !== undefined}
            autoFocus={fixedUser === undefined}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            autoFocus={fixedUser !== undefined}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} disabled={!username || !password}>
            {fixedUser ? 'Unlock' : 'Log in'}
          </Button>
          {extra}
        </Stack>
      </Paper>
    </Center>
  );
}
