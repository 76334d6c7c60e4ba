'use client';

import {
  createContext,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useHydrated } from '../use-hydrated';
import { type ButtonVariant, buttonClass } from './styles';

/** Opens and closes a {@link Dialog} from its trigger. */
export interface DialogControl {
  ref: RefObject<HTMLDialogElement | null>;
  open: () => void;
  close: () => void;
  /** Whether it has been opened: a dialog renders its content from its first opening on, not before. */
  opened: boolean;
}

/**
 * A dialog's content is rendered only once it is first opened (then kept, so a cancelled form keeps what was
 * typed): a table with a Rotate and a Revoke dialog per row (the keys page) otherwise server-renders and hydrates
 * every closed dialog's form, which was most of its HTML and render time. The first opening shows the dialog
 * after that content is committed (a layout effect), so the browser still moves focus into it.
 */
export function useDialog(): DialogControl {
  const ref = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState(false);
  const openedRef = useRef(false);
  const showPending = useRef(false);
  const show = useCallback(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  const open = useCallback(() => {
    if (openedRef.current) return show();
    openedRef.current = true;
    showPending.current = true;
    setOpened(true);
  }, [show]);
  useLayoutEffect(() => {
    if (opened && showPending.current) {
      showPending.current = false;
      show();
    }
  }, [opened, show]);
  const close = useCallback(() => ref.current?.close(), []);
  return { ref, open, close, opened };
}

/** Closes the dialog around it: a form calls it once it saved, its Cancel button too. */
const CloseDialogContext = createContext<() => void>(() => {});

/** The close of the {@link Dialog} a component is rendered in (a no-op outside one). */
export function useCloseDialog(): () => void {
  return useContext(CloseDialogContext);
}

/**
 * A modal dialog on the native `<dialog>` element opened with `showModal()`: the browser traps focus inside it
 * (the page behind is inert), Escape closes it (unless `onCancel` prevents that), focus returns to the trigger on
 * close, and it is announced as a dialog named by its title.
 */
export function Dialog({
  dialog,
  title,
  size = 'md',
  onCancel,
  onClose,
  testId,
  children,
}: {
  dialog: DialogControl;
  title: ReactNode;
  size?: 'md' | 'lg' | 'xl';
  /** Escape was pressed; call `event.preventDefault()` to keep it open (e.g. while a secret is shown once). */
  onCancel?: (event: React.SyntheticEvent<HTMLDialogElement>) => void;
  onClose?: () => void;
  testId?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  const width = size === 'md' ? 'max-w-md' : size === 'lg' ? 'max-w-lg' : 'max-w-2xl';
  return (
    <dialog
      ref={dialog.ref}
      aria-labelledby={titleId}
      onCancel={onCancel}
      onClose={onClose}
      data-testid={testId}
      className={`m-auto w-[calc(100%-1rem)] sm:w-[calc(100%-2rem)] ${width} max-h-[calc(100dvh-1rem)] sm:max-h-[calc(100dvh-2rem)] overflow-y-auto rounded-xl bg-white p-4 sm:p-6 text-left whitespace-normal text-slate-900 shadow-xl backdrop:bg-slate-900/50`}
    >
      <h2 id={titleId} className="text-base font-semibold">
        {title}
      </h2>
      <CloseDialogContext.Provider value={dialog.close}>
        {dialog.opened && children}
      </CloseDialogContext.Provider>
    </dialog>
  );
}

/** The foot of a form in a dialog: Cancel (closes it, keeping what was typed) and the submit button. */
export function DialogActions({
  onCancel,
  pending,
  submitLabel,
  pendingLabel,
  disabled = false,
}: {
  onCancel: () => void;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  /** Nothing to submit yet (e.g. an empty paste box). */
  disabled?: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      <button type="button" onClick={onCancel} className={buttonClass('secondary')}>
        Cancel
      </button>
      <button type="submit" disabled={pending || disabled} className={buttonClass('primary')}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </div>
  );
}

/**
 * A button that opens a form in a {@link Dialog}: create and edit forms live here rather than above the list
 * they add to. The form closes it with {@link useCloseDialog} once it saved; closing keeps what was typed, for
 * the next opening. Usable from a server page: the form is passed as an element, not a render function.
 */
export function DialogButton({
  label,
  ariaLabel,
  variant = 'primary',
  buttonSize = 'md',
  title,
  size,
  testId,
  children,
}: {
  label: string;
  /** Names the item when a list has one such button per row ("Edit monthly cap"). */
  ariaLabel?: string;
  variant?: ButtonVariant;
  buttonSize?: 'md' | 'sm';
  title: ReactNode;
  size?: 'md' | 'lg' | 'xl';
  testId?: string;
  children: ReactNode;
}) {
  const dialog = useDialog();
  // Until React runs, a click would do nothing (the first page after sign-in is the likeliest to be clicked early).
  const hydrated = useHydrated();
  return (
    <>
      <button
        type="button"
        onClick={dialog.open}
        disabled={!hydrated}
        aria-label={ariaLabel}
        className={buttonClass(variant, buttonSize)}
      >
        {label}
      </button>
      <Dialog dialog={dialog} title={title} size={size} testId={testId}>
        {children}
      </Dialog>
    </>
  );
}
