import { Button, Code, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { fetchValue, type Output } from '../api/client';

type Item = Output<'sync.status'>['setAside'][number];

/**
 * Rows this desk set aside after another desk's won (a second consultation of one visit written
 * offline): what happened, and the text that was typed here, to read or copy into the kept record.
 */
export function SetAside({ items }: { items: Item[] }) {
  if (items.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Set aside">
      <Title order={4}>Kept aside on this desk</Title>
      <Text size="sm" c="dimmed" mb="xs">
        Another desk's record was kept for these; what was written here is not lost. Add what is missing to the kept record.
      </Text>
      <Stack gap="sm">
        {items.map((item) => (
          <SetAsideItem key={item.id} item={item} />
        ))}
      </Stack>
    </Paper>
  );
}

function SetAsideItem({ item }: { item: Item }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<{ data?: string; error?: string } | null>(null);
  // Read once, when asked for (every reading of a clinical record is audited); not refetched on
  // every change elsewhere as a live query would be.
  const view = () => {
    setOpen((o) => !o);
    if (text?.data === undefined) {
      fetchValue('sync.setAsideText', { id: item.id }).then(
        (r) => setText({ data: r.text }),
        (e: unknown) => setText({ error: e instanceof Error ? e.message : 'Could not read it' }),
      );
    }
  };
  return (
    <div>
      <Text size="sm">{item.message.replace(/; its text is kept: view \/ copy$/, '; its text is kept.')}</Text>
      {!item.readable ? (
        <Text size="xs" c="dimmed">
          A doctor or an administrator can read it here.
        </Text>
      ) : (
        <>
          <Group gap="xs" mt={4}>
            <Button size="xs" variant="default" onClick={view}>
              {open ? 'Hide' : 'View'}
            </Button>
            {open && text?.data !== undefined && (
              <CopyButton value={text.data}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            )}
          </Group>
          {open && (
            <Code block mt={4}>
              {text?.data ?? text?.error ?? 'Loading…'}
            </Code>
          )}
        </>
      )}
    </div>
  );
}
