/**
 * The console's form and button classes, in one place so every page looks and focuses alike. Inputs mark
 * themselves red when `aria-invalid` is set, which the field components do for the field a save failed on.
 */
const control =
  'rounded-md border border-slate-300 bg-white text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:border-red-500';

/** A full-width input or select under its label. */
export const inputClass = `mt-1 block w-full px-3 py-2 ${control}`;

/** A filter control in a toolbar: the same, a little shorter. */
export const filterInputClass = `mt-1 block w-full px-3 py-1.5 ${control}`;

/** An input inside a table cell or an inline row: no top margin, tight padding; width comes from the caller. */
export const cellInputClass = `block px-2 py-1 ${control}`;

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'ghost';

const variants: Record<ButtonVariant, string> = {
  primary: 'bg-indigo-600 text-white shadow-sm hover:bg-indigo-500',
  secondary: 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-500',
  'danger-outline': 'border border-red-200 bg-white text-red-700 hover:bg-red-50',
  ghost: 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
};

/** `md` for form buttons, `sm` for row actions, `xs` for dense lists. */
export function buttonClass(variant: ButtonVariant, size: 'md' | 'sm' | 'xs' = 'md'): string {
  const padding =
    size === 'md' ? 'px-4 py-2 text-sm' : size === 'sm' ? 'px-2.5 py-1 text-xs' : 'px-2 py-0.5 text-xs';
  return `inline-flex shrink-0 items-center justify-center whitespace-nowrap rounded-md font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 ${padding} ${variants[variant]}`;
}

/** A white card on the page background. */
export const cardClass = 'rounded-xl border border-slate-200 bg-white shadow-sm';
