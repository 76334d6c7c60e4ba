/** Why a repository refused a write; callers map it onto their own error vocabulary. */
export type AdminRepositoryErrorKind = 'conflict' | 'invalid_reference';

/** A write the database refused for a reason the caller can explain to a user. */
export class AdminRepositoryError extends Error {
  constructor(
    readonly kind: AdminRepositoryErrorKind,
    /** The input field at fault, e.g. "name" or "targets[0].accountId". */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminRepositoryError';
  }
}
