'use client';

/** The overview's figures could not be read (database unreachable, for instance): say so and offer a retry. */
export default function OverviewError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-800">
      <h1 className="text-base font-semibold">The overview could not be loaded.</h1>
      <p className="mt-1">
        The database may be unreachable. The routers keep serving from their last configuration.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
