import { Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import type { CheckedIn } from './PatientCard';
import { useSession } from '../session';
import { formatDay } from '../format';

/** The slip handed to the patient. Printing shows only the slip (see the print rules in styles.css). */
export function TokenSlip({ slip, onClose }: { slip: CheckedIn | null; onClose: () => void }) {
  const { facilityName } = useSession();
  return (
    <Modal opened={slip !== null} onClose={onClose} title="Checked in" centered>
      {slip && (
        <Stack>
          <Stack className="token-slip" gap={2} align="center" aria-label="Token slip">
            <Text fw={600}>{facilityName}</Text>
            <Text size="sm">{slip.doctorName}</Text>
            <Text size="xs" c="dimmed">
              Token
            </Text>
            <Title order={1} fz={64} data-testid="slip-token">
              {slip.tokenLabel}
            </Title>
            <Text>{slip.patientName}</Text>
            <Text size="sm">{formatDay(slip.date)}</Text>
            {slip.priority !== 'regular' && <Text fw={700}>{slip.priority.toUpperCase()}</Text>}
          </Stack>
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
