/**
 * Runs a valibot schema and reports every problem at once, each with the JSON
 * pointer (RFC 6901) of the bad field and a message a person understands.
 */
import * as v from 'valibot';
import { isValidationCode, VALIDATION_MESSAGES, type Locale, type ValidationCode } from './messages.ts';
import {
  ManifestSchema,
  SourcePlaylistSchema,
  type Manifest,
  type SourcePlaylist,
} from './manifest-schema.ts';

export interface ValidationProblem {
  /** RFC 6901 pointer into the document, "" for the document itself. */
  pointer: string;
  code: ValidationCode;
  /** The requirement of the check, e.g. the maximum length, when it has one. */
  limit?: number;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; problems: ValidationProblem[] };

export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function toProblem(issue: v.BaseIssue<unknown>): ValidationProblem {
  const path = (issue.path ?? []).map((p) => p.key as string | number);
  let code: ValidationCode;
  if (issue.type === 'strict_object' && issue.expected === 'never') code = 'field.unknown';
  else if (issue.kind === 'schema' && issue.input === undefined && issue.received === 'undefined') {
    code = 'field.required';
  } else code = isValidationCode(issue.message) ? issue.message : 'invalid';
  const limit = typeof issue.requirement === 'number' ? issue.requirement : undefined;
  return limit === undefined
    ? { pointer: jsonPointer(path), code }
    : { pointer: jsonPointer(path), code, limit };
}

export function formatProblem(problem: ValidationProblem, locale: Locale = 'en'): string {
  const text = VALIDATION_MESSAGES[problem.code][locale].replace('{n}', String(problem.limit ?? ''));
  return `${problem.pointer || '/'}: ${text}`;
}

export function validateWith<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): ValidationResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, problems: result.issues.map(toProblem) };
}

/** Validates a parsed signed-manifest payload. */
export function validateManifest(input: unknown): ValidationResult<Manifest> {
  return validateWith(ManifestSchema, input);
}

/** Validates a parsed source playlist (playlists/*.json). */
export function validateSourcePlaylist(input: unknown): ValidationResult<SourcePlaylist> {
  return validateWith(SourcePlaylistSchema, input);
}
