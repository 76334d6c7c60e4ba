import { toAdminError } from './admin-error';
import { logServerEvent } from './log-server-event';

/** What a console server action reports when a server function refused: the message and the field at fault. */
export interface ActionFailure {
  message: string;
  field?: string;
}

/** Maps anything a server function threw onto what the console shows; unexpected errors are logged. */
export function actionFailure(error: unknown): ActionFailure {
  const adminError = toAdminError(error);
  if (adminError.code === 'internal') logServerEvent('error', 'console action failed', { error });
  return { message: adminError.message, field: adminError.field };
}
