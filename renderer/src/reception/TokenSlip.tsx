import { Button, Group, Modal, Stack } from '@mantine/core';
import type { CheckedIn } from './PatientCard';
import { useSession } from '../session';
import { SlipBody } from './SlipBody';

/** The slip handed to the patient. Printing shows only the slip (see the print rules in styles.css). */
export function TokenSlip({ slip, onClose }: { slip: CheckedIn | null; onClose: () => void }) {
  const { facilityName } = useSession();
  return (
    <Modal opened={slip !== null} onClose={onClose} title="Checked in" centered>
      {slip && (
        <Stack>
          <SlipBody slip={slip} facilityName={facilityName} />
          <Group justify="center">
            {/* Focused on open (Mantine's focus trap honours data-autofocus): Enter prints the slip and closes. */}
            <Button
              data-autofocus
              onClick={() => {
                // print() returns once the print dialog is done; the slip is then in the patient's hand.
                window.print();
                onClose();
              }}
            >
              Print slip
            </Button>
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
