'use client';

import { type FormEvent, startTransition, useActionState, useEffect, useRef } from 'react';

/**
 * `useActionState` for a `<form>` that keeps what was typed when the save fails. React resets a form after its
 * `action` runs, error or not, so a refused save used to wipe every field. Here the submit is handled by
 * `onSubmit` (which React then leaves alone) and the action dispatched in a transition: no reset. `resetWhen`
 * says which answers do clear the form (a create that succeeded). `action` stays on the form for the case where
 * JavaScript has not loaded yet.
 */
export function useActionForm<State extends object>(
  action: (previous: Awaited<State>, form: FormData) => Promise<State>,
  initial: Awaited<State>,
  resetWhen?: (state: Awaited<State>) => boolean,
) {
  const [state, dispatch, pending] = useActionState<State, FormData>(action, initial);
  const ref = useRef<HTMLFormElement>(null);
  const shouldReset = useRef(resetWhen);
  shouldReset.current = resetWhen;

  useEffect(() => {
    if (state !== initial && shouldReset.current?.(state)) ref.current?.reset();
  }, [state, initial]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(data));
  };

  return { state, pending, formProps: { ref, action: dispatch, onSubmit } };
}
