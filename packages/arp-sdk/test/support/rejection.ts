// The ArpApiError a call rejects with; fails the test when it resolves or throws anything else.
import { ArpApiError } from '@arp-ts/sdk';
import { expect } from 'vitest';

export async function rejection(promise: Promise<unknown>): Promise<ArpApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArpApiError);
  return error as ArpApiError;
}
