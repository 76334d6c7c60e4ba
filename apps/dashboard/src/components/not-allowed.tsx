/** What a console page shows a signed-in user whose role may not use it (the server refuses the data too). */
export function NotAllowed({ title, reason }: { title: string; reason: string }) {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p
        role="alert"
        data-testid="not-allowed"
        className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700"
      >
        {reason}
      </p>
    </div>
  );
}
