import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { PrescriptionItem } from '../../../shared/clinical';
import type { Output } from '../api/client';

export type Warning = Output<'prescriptions.check'>[number];
export interface PendingDrug {
  item: PrescriptionItem;
  warnings: Warning[];
}

/** "Check before adding": a drug with safety warnings is added only when the doctor says so. */
export function DrugWarningModal({ pending, onAdd, onClose }: { pending: PendingDrug | null; onAdd: (item: PrescriptionItem) => void; onClose: () => void }) {
  return (
    <Modal opened={pending !== null} onClose={onClose} title="Check before adding" centered>
      {pending && (
        <Stack>
          <Text fw={700}>{pending.item.genericName.toUpperCase()}</Text>
          {pending.warnings.map((w) => (
            <Alert key={w.code} color="red" role="alert">
              {w.message}
            </Alert>
          ))}
          <Group>
            <Button
              color="red"
              onClick={() => {
                onAdd({ ...pending.item, acknowledged: pending.warnings.map((w) => w.code) });
                onClose();
              }}
            >
              I have checked: add anyway
            </Button>
            {/* The safe choice is focused: Enter does not add a drug the doctor was warned about. */}
            <Button variant="default" data-autofocus onClick={onClose}>
              Don't add
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
