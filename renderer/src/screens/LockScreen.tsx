import { Button } from '@mantine/core';
import { useSession, type CurrentUser } from '../session';
import { LoginScreen } from './LoginScreen';

export function LockScreen({ onUnlocked }: { onUnlocked: (user: CurrentUser) => void }) {
  const session = useSession();
  return (
    <LoginScreen
      title={`Locked: ${session.user.fullName}`}
      facilityName={session.facilityName}
      username={session.user.username}
      onLoggedIn={onUnlocked}
      extra={
        <Button variant="subtle" onClick={() => void session.logout()}>
          Log out instead
        </Button>
      }
    />
  );
}
