import { Center, Loader } from '@mantine/core';
import { useIdle } from '@mantine/hooks';
import { useEffect } from 'react';
import { call, onEvent, onHostDisconnected } from '../api/client';
import { SetupScreen } from '../features/auth/SetupScreen';
import { SignInScreen } from '../features/auth/SignInScreen';
import { useSession } from '../stores/session';
import { Shell } from './Shell';

export function App() {
  const { ready, needsSetup, session, refresh, ended } = useSession();
  useEffect(() => {
    void refresh();
    const offEnded = onEvent('session.ended', ({ reason }) =>
      ended(reason === 'idle' ? 'You were signed out because the app was idle. Sign in again to continue.' : 'You have been signed out.'),
    );
    const offHost = onHostDisconnected(() => ended('The connection to Ledgerdesk was lost. Reload the page to reconnect.'));
    return () => {
      offEnded();
      offHost();
    };
  }, [refresh, ended]);

  // Idle sign-out: main enforces it on the next call; this makes it visible without one.
  const idleMs = (session?.idleMinutes ?? 15) * 60_000;
  const idle = useIdle(idleMs, { initialState: false });
  useEffect(() => {
    if (session && idle) void call('auth.status', {}).then(() => refresh());
  }, [idle, session, refresh]);
  // Tell main about activity now and then, so working without saving does not time out.
  useEffect(() => {
    if (!session || idle) return;
    const t = setInterval(() => void call('auth.touch', {}), Math.min(60_000, idleMs / 2));
    return () => clearInterval(t);
  }, [session, idle, idleMs]);

  if (!ready)
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (needsSetup) return <SetupScreen />;
  if (!session) return <SignInScreen />;
  return <Shell />;
}
