import { Modal } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PatientSearch } from './PatientSearch';

/** Ctrl+K from any screen: find a patient and open them at reception. */
export function PatientFinder() {
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  useHotkeys([['mod+K', () => setOpened(true)]], []);
  return (
    <Modal opened={opened} onClose={() => setOpened(false)} title="Find patient" size="lg">
      <PatientSearch
        autoFocus
        onPick={(hit) => {
          setOpened(false);
          void navigate(`/reception?patient=${hit.id}`);
        }}
      />
    </Modal>
  );
}
