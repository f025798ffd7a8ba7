import { createContext, useContext } from 'react';
import type { Output } from './api/client';

export type Me = Output<'auth.me'>;
export type CurrentUser = Me['user'];

export interface SessionState extends Me {
  logout: () => Promise<void>;
  lock: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a logged-in screen');
  return s;
}
