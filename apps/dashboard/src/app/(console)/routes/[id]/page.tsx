import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { AdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { getRoute, type RouteView } from '@/server/routes';
import { loadEditorOptions } from '../editor-props';
import { RouteEditor } from '../route-editor';

export const metadata: Metadata = { title: 'Route' };

export default async function RoutePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  let route: RouteView;
  try {
    route = await getRoute(ctx, actor, id);
  } catch (error) {
    if (error instanceof AdminError && error.code === 'not_found') notFound();
    throw error;
  }
  const options = await loadEditorOptions(ctx, actor, id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">
        Route <span className="font-mono">{route.publicModel}</span>
      </h1>
      <RouteEditor key={route.id} route={route} writable={canWrite(actor)} {...options} />
    </div>
  );
}
