import { Button, Container, Divider, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { call } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { JoinClinic } from './JoinClinic';

/** First run: a new clinic (its details and the administrator), or joining one that exists. */
export function SetupWizard({ onDone }: { onDone: () => void }) {
  const [mode, setMode] = useState<'new' | 'join'>('new');
  return (
    <Container size={560} py="xl">
      <Title order={2}>Set up this clinic workstation</Title>
      <Text c="dimmed" mb="md">
        First run: tell us about the clinic and create the administrator account. Everything stays on this computer.
      </Text>
      <SegmentedControl
        mb="md"
        value={mode}
        onChange={(v) => setMode(v)}
        data={[
          { value: 'new', label: 'New clinic' },
          { value: 'join', label: 'Join an existing clinic' },
        ]}
      />
      {mode === 'join' ? <JoinClinic onJoined={onDone} /> : <NewClinicForm onDone={onDone} />}
    </Container>
  );
}

function NewClinicForm({ onDone }: { onDone: () => void }) {
  const form = useForm({
    initialValues: {
      facility: { name: '', address: '', phone: '' },
      admin: { fullName: '', username: '', password: '', confirm: '' },
    },
    validate: {
      admin: {
        confirm: (value, values) => (value === values.admin.password ? null : 'The two passwords do not match'),
      },
    },
  });
  const { error, saving, run } = useApiSubmit(form);

  const submit = form.onSubmit(async (values) => {
    const { confirm: _confirm, ...admin } = values.admin;
    if ((await run(() => call('setup.initialize', { facility: values.facility, admin }))) === null) return;
    // The clinic exists now; a failed login leaves its message and the administrator logs in by hand.
    if ((await run(() => call('auth.login', { username: admin.username, password: admin.password }))) !== null) onDone();
  });

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
      <Stack>
        <Title order={4}>Clinic</Title>
        <TextInput label="Clinic name" required autoFocus {...form.getInputProps('facility.name')} />
        <Textarea label="Address" required autosize minRows={2} {...form.getInputProps('facility.address')} />
        <TextInput label="Phone" required {...form.getInputProps('facility.phone')} />
        <Divider />
        <Title order={4}>Administrator</Title>
        <TextInput label="Full name" required {...form.getInputProps('admin.fullName')} />
        <TextInput label="Username" required autoComplete="username" {...form.getInputProps('admin.username')} />
        <PasswordInput
          label="Password"
          description="At least 8 characters"
          required
          autoComplete="new-password"
          {...form.getInputProps('admin.password')}
        />
        <PasswordInput label="Confirm password" required autoComplete="new-password" {...form.getInputProps('admin.confirm')} />
        <FormError error={error} />
        <Button type="submit" loading={saving}>
          Set up clinic
        </Button>
      </Stack>
    </Paper>
  );
}
