/**
 * Optional per-sign tokens: stored hashed (SHA-256) in the data folder, compared
 * in constant time. With none configured the status endpoint is open on the LAN.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from './errors.ts';
import { writeFileAtomic } from './files.ts';

export interface TokenFile {
  tokens: { name: string; sha256: string }[];
}

export const tokenPath = (dataDir: string) => join(dataDir, 'sign-tokens.json');

export async function readTokens(dataDir: string): Promise<TokenFile> {
  try {
    const parsed = JSON.parse(await readFile(tokenPath(dataDir), 'utf8')) as TokenFile;
    if (!Array.isArray(parsed.tokens)) throw new Error('no "tokens" list');
    return parsed;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { tokens: [] };
    throw new UserError(`${tokenPath(dataDir)} is not a valid token file: ${(e as Error).message}`);
  }
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Creates a token for a sign, stores its hash, and returns the token (shown once). */
export async function addToken(dataDir: string, name: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(name))
    throw new UserError('a sign name is 1 to 40 letters, digits, ".", "_" or "-"');
  const file = await readTokens(dataDir);
  if (file.tokens.some((t) => t.name === name))
    throw new UserError(`a token named "${name}" exists; remove it first`);
  // URL-safe, no padding: firmware may put it in ?tk=.
  const token = randomBytes(18).toString('base64url');
  file.tokens.push({ name, sha256: digest(token).toString('hex') });
  await writeFileAtomic(tokenPath(dataDir), `${JSON.stringify(file, null, 2)}\n`, 0o600);
  return token;
}

export async function removeToken(dataDir: string, name: string): Promise<void> {
  const file = await readTokens(dataDir);
  const kept = file.tokens.filter((t) => t.name !== name);
  if (kept.length === file.tokens.length) throw new UserError(`no token named "${name}"`);
  await writeFileAtomic(tokenPath(dataDir), `${JSON.stringify({ tokens: kept }, null, 2)}\n`, 0o600);
}

/**
 * Whether `presented` matches a stored token. Every stored hash is compared, each
 * in constant time, so the answer's timing does not depend on which one matched.
 */
export function tokenMatches(file: TokenFile, presented: string | undefined): boolean {
  if (presented === undefined || presented.length > 200) return false;
  const candidate = digest(presented);
  let match = false;
  for (const t of file.tokens) {
    const stored = Buffer.from(t.sha256, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) match = true;
  }
  return match;
}
