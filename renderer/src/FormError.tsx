import { Alert, type AlertProps } from '@mantine/core';

/** A refusal's message at the bottom of a form, read out when it appears. */
export function FormError({ error, ...rest }: { error: string | null } & Omit<AlertProps, 'children'>) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" {...rest}>
      {error}
    </Alert>
  );
}
