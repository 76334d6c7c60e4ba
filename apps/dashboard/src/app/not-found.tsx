import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address.</p>
      <Link href="/keys" className="mt-6 inline-block text-indigo-600 hover:underline">
        Go to API keys
      </Link>
    </main>
  );
}
