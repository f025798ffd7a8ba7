import { Stack, Text, Title } from '@mantine/core';

export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <Text c="dimmed">{what}: not built yet in this version.</Text>
    </Stack>
  );
}
