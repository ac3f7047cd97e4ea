import type { ValidationProblem } from './validate.ts';

/**
 * Why a signed document was refused: one named check each (DESIGN.md,
 * "Verification order"). Plain data, so that the player can report it in its
 * heartbeat and the server in its logs.
 */
export type VerifyError =
  | { check: 'size'; message: string; bytes: number; limit: number }
  | { check: 'envelope'; message: string }
  | { check: 'payload-type'; message: string; expected: string; actual: string }
  | { check: 'signature'; message: string; valid: number; threshold: number }
  | { check: 'schema'; message: string; problems: ValidationProblem[] }
  | { check: 'channel'; message: string; expected: string; actual: string }
  | { check: 'rollback'; message: string; from: number; to: number }
  | { check: 'expired'; message: string; expires: string; now: string }
  | { check: 'limits'; message: string }
  | { check: 'root-fingerprint'; message: string; expected: string; actual: string };

export type VerifyCheck = VerifyError['check'];
