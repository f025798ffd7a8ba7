import { Center, Loader } from '@mantine/core';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { call, fetchValue, forgetSession, onSessionEnded } from './api/client';
import { LockScreen } from './screens/LockScreen';
import { LoginScreen } from './screens/LoginScreen';
import { SetupWizard } from './screens/lazy-screens';
import { Shell } from './screens/Shell';
import { SessionContext, type Me, type SessionState } from './session';
import { forgetThumbnails } from './attachments/thumbnails';

export function App() {
  const status = useQuery({ queryKey: ['setup.status'], queryFn: () => fetchValue('setup.status') });
  const { checked, locked, notice, session, loggedIn, unlocked } = useSignIn(status.data?.initialized ?? false);

  if (status.isPending) return <FullPageLoader />;
  if (!status.data?.initialized) {
    return (
      <Suspense fallback={<FullPageLoader />}>
        <SetupWizard onDone={() => void status.refetch()} />
      </Suspense>
    );
  }
  if (!checked) return <FullPageLoader />;
  if (!session) {
    return <LoginScreen facilityName={status.data.facilityName} notice={notice} onLoggedIn={loggedIn} />;
  }
  return <SessionContext.Provider value={session}>{locked ? <LockScreen onUnlocked={unlocked} /> : <Shell />}</SessionContext.Provider>;
}

/** What a session read is forgotten at logout and lock (the next login reads, and audits, afresh). */
function forgetSessionData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup.status' });
  // Thumbnails are clinical images read (and audited) for this login.
  forgetThumbnails();
}

/**
 * Who is logged in, and the screen's lock: the session found at start, the one ended by the
 * service (a notice says why), locking (which ends the session) and logging out.
 */
function useSignIn(initialized: boolean) {
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const [locked, setLocked] = useState(false);
  // Read inside event listeners, which would otherwise see a stale value.
  const lockedRef = useRef(false);
  // eslint-disable-next-line react-hooks/refs -- written during render so a listener never sees an older value than the screen shows
  lockedRef.current = locked;
  const endingRef = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);

  // Patient data leaves memory with the session; whether the clinic is set up does not.
  const forgetData = useCallback(() => forgetSessionData(queryClient), [queryClient]);

  const loadMe = useCallback(async () => {
    const r = await call('auth.me');
    setMe(r.ok ? r.value : null);
    setChecked(true);
  }, []);

  // A session that survives a reload (browser host tab, Electron window) is picked up again.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loadMe sets state after awaiting the host, not synchronously
    if (initialized) void loadMe();
  }, [initialized, loadMe]);

  useEffect(
    () =>
      onSessionEnded((error) => {
        // A locked screen has already ended its session on purpose; late replies say so too.
        if (lockedRef.current || endingRef.current) return;
        setMe((current) => {
          if (current) setNotice(error.message);
          return null;
        });
        setLocked(false);
        forgetSession();
        forgetData();
      }),
    [forgetData],
  );

  const session: SessionState | null = me && {
    ...me,
    // A locked screen holds no live session: unlocking is a fresh login as the same user.
    lock: () => {
      lockedRef.current = true;
      setLocked(true);
      forgetData();
      void call('auth.logout');
    },
    // Leaving is immediate; replies still in flight for the old session are ignored, not shown.
    logout: async () => {
      const wasLocked = locked;
      endingRef.current = true;
      forgetData();
      setLocked(false);
      setMe(null);
      if (!wasLocked) await call('auth.logout');
      endingRef.current = false;
    },
  };
  return {
    checked,
    locked,
    notice,
    session,
    loggedIn: () => {
      setNotice(null);
      void loadMe();
    },
    unlocked: () => {
      setLocked(false);
      void loadMe();
    },
  };
}

function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}
