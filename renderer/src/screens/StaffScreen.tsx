import { Badge, Button, Checkbox, Group, Modal, Paper, PasswordInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES, type Role } from '../../../shared/enums';
import { call, fetchValue, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { useSession } from '../session';
import { RenameStaffDialog, UsernameConflicts } from './RenameStaffDialog';

const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  receptionist: 'Receptionist',
  doctor: 'Doctor',
  cashier: 'Cashier',
  accounts: 'Accounts (reports only)',
  pharmacist: 'Pharmacist',
  labtech: 'Lab technician',
};

type StaffMember = Output<'staff.list'>[number];

export function StaffScreen() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  const staff = useQuery({ queryKey: ['staff.list'], queryFn: () => fetchValue('staff.list') });
  const [resetting, setResetting] = useState<StaffMember | null>(null);
  const [renaming, setRenaming] = useState<StaffMember | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['staff.list'] });

  async function toggle(userId: string, active: boolean) {
    const result = await call('staff.setActive', { userId, active });
    if (!result.ok) notifications.show({ message: result.error.message, color: 'red' });
    await refresh();
  }

  return (
    <Stack>
      <Title order={2}>Staff</Title>
      <UsernameConflicts />
      <AddStaffForm onAdded={refresh} />
      <Table striped withTableBorder aria-label="Staff list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Username</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {staff.data?.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.fullName}</Table.Td>
              <Table.Td>{s.username}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {s.roles.map((r) => (
                    <Badge key={r} variant="light">
                      {ROLE_LABELS[r]}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Switch
                  checked={s.active}
                  disabled={s.id === user.id}
                  aria-label={`${s.fullName} active`}
                  onChange={(e) => void toggle(s.id, e.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" aria-label={`Rename ${s.fullName}`} onClick={() => setRenaming(s)}>
                  Rename
                </Button>
                {/* One's own password is changed from the header, knowing the current one. */}
                {s.id !== user.id && (
                  <Button size="compact-xs" variant="subtle" aria-label={`Reset password of ${s.fullName}`} onClick={() => setResetting(s)}>
                    Reset password
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {staff.error && <Text c="red">{staff.error.message}</Text>}
      <ResetPasswordDialog member={resetting} onClose={() => setResetting(null)} />
      <RenameStaffDialog member={renaming} onClose={() => setRenaming(null)} />
    </Stack>
  );
}

function AddStaffForm({ onAdded }: { onAdded: () => Promise<void> }) {
  const form = useForm({
    // The first password is the administrator's: by default the person chooses their own at first login.
    initialValues: { fullName: '', username: '', password: '', roles: [] as Role[], temporaryPassword: true },
  });
  const { error, saving, run } = useApiSubmit(form);

  const submit = form.onSubmit(async (values) => {
    const created = await run(() => call('staff.create', values));
    if (!created) return;
    notifications.show({
      message: `${created.fullName} can now log in as ${created.username}${created.mustChangePassword ? ' and will choose their own password then' : ''}.`,
      color: 'teal',
    });
    form.reset();
    await onAdded();
  });

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Add staff member">
      <Title order={4} mb="sm">
        Add staff member
      </Title>
      <Group align="flex-start" grow>
        <TextInput label="Full name" required {...form.getInputProps('fullName')} />
        <TextInput label="Username" required autoComplete="off" {...form.getInputProps('username')} />
        <PasswordInput label="Initial password" required autoComplete="new-password" {...form.getInputProps('password')} />
      </Group>
      <Checkbox.Group label="Roles" required mt="sm" {...form.getInputProps('roles')}>
        <Group mt={4}>
          {ROLES.map((r) => (
            <Checkbox key={r} value={r} label={ROLE_LABELS[r]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Checkbox mt="sm" label="They choose their own password at first login" {...form.getInputProps('temporaryPassword', { type: 'checkbox' })} />
      <FormError error={error} mt="sm" />
      <Button type="submit" mt="md" loading={saving}>
        Add staff member
      </Button>
    </Paper>
  );
}

/** An administrator sets a new password for someone who forgot theirs; they change it at next login. */
function ResetPasswordDialog({ member, onClose }: { member: StaffMember | null; onClose: () => void }) {
  const form = useForm({
    initialValues: { newPassword: '', confirm: '' },
    validate: { confirm: (v, values) => (v === values.newPassword ? null : 'The two passwords differ') },
  });
  const { error, setError, saving, run } = useApiSubmit(form);

  function close() {
    form.reset();
    setError(null);
    onClose();
  }

  const submit = form.onSubmit(async ({ newPassword }) => {
    if (!member) return;
    const reset = await run(() => call('staff.resetPassword', { userId: member.id, newPassword }));
    if (!reset) return;
    notifications.show({
      color: 'teal',
      message: `${member.fullName}'s password was reset${reset.sessionsEnded > 0 ? ' and they were logged out' : ''}. They choose their own at the next login.`,
    });
    close();
  });

  return (
    <Modal opened={member !== null} onClose={close} title={`Reset password: ${member?.fullName ?? ''}`}>
      <form onSubmit={submit} noValidate aria-label="Reset password">
        <Stack>
          <Text size="sm">
            Give {member?.fullName} this password in person. Their open sessions end, a lockout after wrong passwords is lifted, and they
            must choose their own password when they next log in.
          </Text>
          <PasswordInput label="New password" description="At least 8 characters" autoComplete="new-password" data-autofocus {...form.getInputProps('newPassword')} />
          <PasswordInput label="New password again" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={saving}>
              Reset password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
