import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call } from '../api/client';
import { fieldErrors } from '../forms';

interface Props {
  opened: boolean;
  /**
   * After an administrator reset the password: the dialog cannot be dismissed, only completed (or
   * the user logs out), so nobody works on a password someone else chose.
   */
  required?: boolean;
  onClose: () => void;
  onChanged: () => void;
  onLogout?: () => void;
}

/** The logged-in user's own password: the current one, then the new one twice. */
export function ChangePasswordDialog({ opened, required = false, onClose, onChanged, onLogout }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      // Checked here because only the screen sees both copies; the service checks the rest.
      confirm: (v, values) => (v === values.newPassword ? null : 'The two new passwords differ'),
    },
  });

  const submit = form.onSubmit(async ({ currentPassword, newPassword }) => {
    setError(null);
    setBusy(true);
    const r = await call('auth.changePassword', { currentPassword, newPassword });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      form.setErrors(fieldErrors(r.error));
      return;
    }
    notifications.show({
      color: 'teal',
      message: r.value.otherSessionsEnded > 0 ? 'Password changed. You were logged out everywhere else.' : 'Password changed.',
    });
    form.reset();
    onChanged();
  });

  return (
    <Modal
      opened={opened}
      onClose={required ? () => undefined : onClose}
      withCloseButton={!required}
      closeOnEscape={!required}
      closeOnClickOutside={!required}
      title={required ? 'Choose your own password' : 'Change my password'}
    >
      <form onSubmit={submit} noValidate aria-label="Change my password">
        <Stack>
          {required && (
            <Text size="sm">An administrator set your password. Choose one only you know before you go on.</Text>
          )}
          <PasswordInput label="Current password" autoComplete="current-password" data-autofocus {...form.getInputProps('currentPassword')} />
          <PasswordInput label="New password" description="At least 8 characters" autoComplete="new-password" {...form.getInputProps('newPassword')} />
          <PasswordInput label="New password again" autoComplete="new-password" {...form.getInputProps('confirm')} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            {required ? (
              onLogout && (
                <Button variant="default" onClick={onLogout}>
                  Log out
                </Button>
              )
            ) : (
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={busy}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
