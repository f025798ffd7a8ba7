import { Alert, Button, Code, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { FormError } from '../FormError';

/**
 * Shows this installation's recovery key after the admin types their own password again. The
 * code lives only in this modal's state: it is dropped when the modal closes, so it does not
 * linger on an unattended screen.
 */
export function RecoveryKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  function close() {
    setPassword('');
    setPasswordError(null);
    setError(null);
    setCode(null);
    setCopied(false);
    onClose();
  }

  async function show() {
    setBusy(true);
    setError(null);
    setPasswordError(null);
    const r = await call('backups.recoveryKey', { password });
    setBusy(false);
    setPassword('');
    if (r.ok) return setCode(r.value.recoveryKey);
    if (r.error.fields?.password) setPasswordError(r.error.fields.password);
    else setError(r.error.message);
  }

  async function copy() {
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      setError('The code could not be copied here; write it down from the screen.');
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Recovery key" centered size="lg">
      {code ? (
        <KeyView code={code} error={error} copied={copied} onCopy={() => void copy()} onClose={close} />
      ) : (
        <PasswordStep password={password} passwordError={passwordError} error={error} busy={busy} onPassword={setPassword} onShow={() => void show()} onCancel={close} />
      )}
    </Modal>
  );
}

/** The key itself, four groups to a line, with what to do with it. */
function KeyView({ code, error, copied, onCopy, onClose }: { code: string; error: string | null; copied: boolean; onCopy: () => void; onClose: () => void }) {
  // Four groups to a line, so the code is copied onto paper line by line without losing the place.
  const lines: string[] = [];
  const groups = code.split('-');
  for (let i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4).join(' - '));
  return (
    <Stack>
      <Alert color="orange" title="Keep this on paper, away from the backups">
        Backups are encrypted. If this computer is lost, stolen or broken, its backups can be restored on a new computer only with this
        key. Write it down (or print it), keep it locked away, and never store it on the backup disk: whoever has both can read every
        patient record.
      </Alert>
      <Code block fz="lg" data-testid="recovery-key" aria-label="Recovery key">
        {lines.join('\n')}
      </Code>
      <Text size="sm" c="dimmed">
        17 groups of 4 letters and digits (0-9, A-F). The last group is a check: a mistyped key is caught when it is entered.
      </Text>
      <FormError error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCopy}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button onClick={onClose}>I have written it down</Button>
      </Group>
    </Stack>
  );
}

function PasswordStep({ password, passwordError, error, busy, onPassword, onShow, onCancel }: {
  password: string;
  passwordError: string | null;
  error: string | null;
  busy: boolean;
  onPassword: (password: string) => void;
  onShow: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onShow();
      }}
    >
      <Stack>
        <Text size="sm">Type your own password again to see the key that opens this computer’s backups.</Text>
        <PasswordInput
          label="Your password"
          autoComplete="current-password"
          data-autofocus
          value={password}
          error={passwordError}
          onChange={(e) => onPassword(e.currentTarget.value)}
        />
        <FormError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={password === ''}>
            Show recovery key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
