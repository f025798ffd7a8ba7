import { Button, Group, Modal, Text } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState } from 'react';

interface Guard {
  /** Marks (or clears, with null) what a mounted form has not saved. */
  mark: (id: string, what: string | null) => void;
  /** Runs `go` now, or after the person agrees to lose what is not saved. */
  confirmLeave: (go: () => void) => void;
}

const GuardContext = createContext<Guard | null>(null);

/**
 * Leaving a screen with unsaved changes asks first. The app's router (a hash router) cannot block
 * navigation itself, so the ways to leave (the menu, F-keys, log out) ask this guard; a reload or a
 * closed window asks through the browser's own prompt (in the desktop app, electron/main.ts asks).
 */
export function UnsavedChangesGuard({ children }: { children: React.ReactNode }) {
  const dirty = useRef(new Map<string, string>());
  const [pending, setPending] = useState<{ go: () => void; what: string[] } | null>(null);
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (dirty.current.size > 0) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, []);
  const mark = useCallback((id: string, what: string | null) => {
    if (what) dirty.current.set(id, what);
    else dirty.current.delete(id);
  }, []);
  const confirmLeave = useCallback((go: () => void) => {
    if (dirty.current.size === 0) go();
    else setPending({ go, what: [...new Set(dirty.current.values())] });
  }, []);
  const guard = useMemo(() => ({ mark, confirmLeave }), [mark, confirmLeave]);
  const leave = () => {
    const go = pending?.go;
    dirty.current.clear();
    setPending(null);
    go?.();
  };
  return (
    <GuardContext.Provider value={guard}>
      {children}
      <Modal opened={pending !== null} onClose={() => setPending(null)} title="Leave without saving?">
        <Text size="sm">{pending?.what.join(', ')}: your changes are not saved yet.</Text>
        <Group justify="flex-end" mt="md">
          {/* Staying is the safe answer, so it has the focus and Enter. */}
          <Button data-autofocus onClick={() => setPending(null)}>
            Stay on this screen
          </Button>
          <Button color="red" variant="light" onClick={leave}>
            Leave without saving
          </Button>
        </Group>
      </Modal>
    </GuardContext.Provider>
  );
}

/** Tells the guard this form has changes it has not saved, in words the person knows (e.g. "The facility registration"). */
export function useUnsavedChanges(what: string, dirty: boolean): void {
  const guard = useContext(GuardContext);
  const id = useId();
  useEffect(() => {
    guard?.mark(id, dirty ? what : null);
    return () => guard?.mark(id, null);
  }, [guard, id, what, dirty]);
}

/** A way to leave that asks first when something is not saved. */
export function useConfirmLeave(): (go: () => void) => void {
  const guard = useContext(GuardContext);
  return guard?.confirmLeave ?? ((go) => go());
}
