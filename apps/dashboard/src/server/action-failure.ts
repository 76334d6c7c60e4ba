import { ZodError } from 'zod';
import { toAdminError } from './admin-error';
import { logServerEvent } from './log-server-event';
import { plainValidationMessage } from './plain-validation-message';

/** What a console server action reports when a server function refused: the message and the field at fault. */
export interface ActionFailure {
  message: string;
  field?: string;
}

/**
 * Maps anything a server function threw onto what the console shows; unexpected errors are logged. Validation
 * failures are reworded to say what to type ("rpmLimit: Enter a whole number."), not zod's wording.
 */
export function actionFailure(error: unknown): ActionFailure {
  const adminError = toAdminError(error);
  const issue = error instanceof ZodError ? error.issues[0] : undefined;
  if (issue && adminError.field) {
    return { message: `${adminError.field}: ${plainValidationMessage(issue)}`, field: adminError.field };
  }
  if (adminError.code === 'internal') logServerEvent('error', 'console action failed', { error });
  return { message: adminError.message, field: adminError.field };
}
