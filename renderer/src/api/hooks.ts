import { useQuery } from '@tanstack/react-query';
import { fetchValue, type Input, type MethodName, type Output } from './client';

/**
 * A read method as a query keyed by method + input. Every `changed` event refetches what is on
 * screen, so two windows show the same queue without reloading.
 */
export function useMethod<M extends MethodName>(method: M, input: Input<M>, options: { enabled?: boolean } = {}) {
  return useQuery<Output<M>>({
    queryKey: [method, input],
    queryFn: () => (fetchValue as (m: M, i: Input<M>) => Promise<Output<M>>)(method, input),
    enabled: options.enabled ?? true,
  });
}
