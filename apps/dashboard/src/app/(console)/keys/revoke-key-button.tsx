import { ConfirmButton } from '@/components/ui/confirm-button';
import { revokeKeyAction } from './actions';

/** Revoke, after a dialog naming the key and what happens; the only way the console revokes a key. */
export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmButton
      label="Revoke"
      title={`Revoke ${name}?`}
      description="Every router refuses this key (401) within a second. This cannot be undone; to stop it later instead, schedule a revocation on the key's page."
      confirmLabel="Revoke key"
      destructive
      ariaLabel={`Revoke ${name}`}
      run={revokeKeyAction.bind(null, id)}
    />
  );
}
