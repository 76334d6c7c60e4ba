import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False in the server-rendered HTML and during hydration, true once React runs in the browser. A form whose
 * inputs are controlled by client state disables itself until then: text typed into the server HTML would be
 * replaced by the state when React takes over, and its buttons would do nothing.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
