export default function OverviewLoading() {
  return (
    <div role="status" className="space-y-6" aria-busy="true" aria-label="Loading the overview">
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {['spend', 'requests', 'health', 'budgets'].map((name) => (
          <div key={name} className="h-40 animate-pulse rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </div>
  );
}
