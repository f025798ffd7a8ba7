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
            <Button onClick={() => window.print()} autoFocus>
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
