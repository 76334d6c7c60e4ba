import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { loadEditorOptions } from '../editor-props';
import { RouteEditor } from '../route-editor';

export const metadata: Metadata = { title: 'New route' };

export default async function NewRoutePage() {
  const actor = await requireConsoleActor();
  if (!canWrite(actor)) redirect('/routes');
  const options = await loadEditorOptions(getAdminContext(), actor, null);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">New route</h1>
      <RouteEditor route={null} writable {...options} />
    </div>
  );
}
