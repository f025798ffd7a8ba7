import { Alert, Title } from '@mantine/core';

export function Forbidden({ section }: { section: string }) {
  return (
    <>
      <Title order={2} mb="md">
        {section}
      </Title>
      <Alert color="red" role="alert" title="No access">
        Your role does not include {section}. Ask an administrator if you need it.
      </Alert>
    </>
  );
}
