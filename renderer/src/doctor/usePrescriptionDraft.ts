import { useEffect, useRef, useState } from 'react';
import type { PrescriptionItem } from '../../../shared/clinical';
import { revisedItem, settledItem } from '../../../shared/rx-item';
import { call, type Output } from '../api/client';

const AUTOSAVE_MS = 600;

type Saved = Output<'prescriptions.get'>['prescription'];

/**
 * The prescription being written: its items and advice, saved a moment after the doctor stops
 * typing, with the save state and the server's per-item errors. Nothing is saved once printed.
 */
export function usePrescriptionDraft(visitId: string, initial: Saved) {
  const [items, setItems] = useState<PrescriptionItem[]>(initial?.items ?? []);
  const [advice, setAdviceText] = useState(initial?.advice ?? '');
  const [adviceHi, setAdviceHiText] = useState(initial?.adviceHi ?? '');
  const [saveState, setSaveState] = useState<string>(initial ? 'Saved' : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const dirty = useRef(false);
  const printed = initial?.status === 'printed';

  useEffect(() => {
    if (!dirty.current || printed) return;
    setSaveState('Unsaved changes');
    const t = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- autosave follows the edited values only; save() reads the latest of everything else
  }, [items, advice, adviceHi]);

  async function save(): Promise<boolean> {
    setSaveState('Saving…');
    const r = await call('prescriptions.save', { visitId, items, advice, adviceHi });
    if (!r.ok) {
      setErrors(r.error.fields ?? {});
      setSaveState(`Not saved: ${r.error.message}`);
      return false;
    }
    dirty.current = false;
    setErrors({});
    setSaveState(`Saved · ${r.value.rxNumber}`);
    return true;
  }

  function edit(next: (items: PrescriptionItem[]) => PrescriptionItem[]) {
    dirty.current = true;
    setItems(next);
  }

  return {
    items,
    advice,
    adviceHi,
    saveState,
    errors,
    printed,
    /** Added one after another (a favourite set, the last prescription): each keeps the ones before. */
    append: (item: PrescriptionItem) => edit((prev) => [...prev, item]),
    remove: (i: number) => edit((prev) => prev.filter((_, j) => j !== i)),
    update: (i: number, patch: Partial<PrescriptionItem>) => edit((prev) => prev.map((it, j) => (j === i ? revisedItem(it, patch) : it))),
    /** The frequency box was left: "1-0-1 x5" becomes 1-0-1 with 5 in Days (shared/rx-item.ts). */
    settle: (i: number) => {
      const it = items[i];
      if (it && settledItem(it) !== it) edit((prev) => prev.map((x, j) => (j === i ? settledItem(x) : x)));
    },
    setAdvice: (text: string) => {
      dirty.current = true;
      setAdviceText(text);
    },
    setAdviceHi: (text: string) => {
      dirty.current = true;
      setAdviceHiText(text);
    },
    /** Before printing: what is on screen is saved first. */
    saveIfDirty: async () => (dirty.current ? save() : true),
  };
}
