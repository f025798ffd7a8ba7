import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, fetchValue, type Output } from '../api/client';
import { fieldErrors } from '../forms';

type StaffMember = Output<'staff.list'>[number];

/**
 * Usernames two desks handed out while offline: the server kept the first, the desk that lost
 * renamed its own ("ravi" -> "ravi.2"). Listed here so an administrator tells the person or renames.
 */
export function UsernameConflicts() {
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => fetchValue('sync.status') });
  const users = status.data?.conflicts.filter((c) => c.table === 'users') ?? [];
  if (users.length === 0) return null;
  return (
    <Alert color="orange" title="Usernames decided by the sync server" aria-label="Username conflicts">
      <Stack gap={4}>
        {users.map((c) => (
          <Text key={c.changeId} size="sm">
            {c.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** A new username for a staff member (a taken one is refused on the field). */
export function RenameStaffDialog({ member, onClose }: { member: StaffMember | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { username: '' } });

  function close() {
    form.reset();
    setError(null);
    onClose();
  }

  const submit = form.onSubmit(async ({ username }) => {
    if (!member) return;
    setError(null);
    const r = await call('staff.rename', { userId: member.id, username });
    if (!r.ok) {
      setError(r.error.message);
      form.setErrors(fieldErrors(r.error));
      return;
    }
    notifications.show({ color: 'teal', message: `${member.fullName} now logs in as ${r.value.username}.` });
    await queryClient.invalidateQueries({ queryKey: ['staff.list'] });
    close();
  });

  return (
    <Modal opened={member !== null} onClose={close} title={`Rename: ${member?.fullName ?? ''}`}>
      <form onSubmit={submit} noValidate aria-label="Rename staff member">
        <Stack>
          <Text size="sm">Now {member?.username}. Their password stays the same.</Text>
          <TextInput label="New username" required autoComplete="off" data-autofocus {...form.getInputProps('username')} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit">Rename</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
