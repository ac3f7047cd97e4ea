/**
 * A mistake by the person running a command (missing file, wrong key, bad JSON):
 * the CLI prints its message on one line and exits non-zero, never a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    /** Further lines, e.g. one per validation problem. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
