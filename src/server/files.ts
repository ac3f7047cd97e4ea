/** File helpers for the Node side: atomic writes, reading with user-facing errors. */
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { UserError } from './errors.ts';
import { jsonErrorOffset } from './json-position.ts';

/**
 * Writes `data` to `path` so that a reader sees the old file or the new one, never
 * half of it, even across a power cut: write a temporary file, fsync, rename
 * (DESIGN.md "Offline first").
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.part`;
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, path);
}

/** Reads a file a person named on the command line; a missing one is a UserError. */
export async function readUserFile(path: string, what = 'file'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw new UserError(`${what} is a directory, not a file: ${path}`);
    if (code === 'EACCES') throw new UserError(`${what} is not readable (permission denied): ${path}`);
    throw e;
  }
}

/** Parses JSON a person wrote, reporting the line and column of a syntax error. */
export function parseUserJson(bytes: Uint8Array, path: string): unknown {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text) ?? text.length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const found =
      offset < text.length ? `unexpected ${JSON.stringify(text[offset])}` : 'unexpected end of file';
    throw new UserError(`${path}:${line}:${column}: invalid JSON (${found})`);
  }
}

/** Streams a file through SHA-256, calling `onProgress` with the bytes read so far. */
export async function hashFile(
  path: string,
  onProgress?: (bytesRead: number) => void,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onProgress?.(bytes);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Copies `source` to `target` through SHA-256 (fsynced, renamed into place) and keeps
 * the copy only when it has the expected hash, so a file edited between hashing and
 * copying is never published under the old hash. `while` names the work in errors.
 */
export async function copyVerified(
  source: string,
  target: string,
  sha256: string,
  doing = 'publishing',
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.part`;
  const hash = createHash('sha256');
  const out = await open(tmp, 'wx', 0o644);
  try {
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      await out.write(chunk as Buffer);
    }
    await out.sync();
  } catch (e) {
    await out.close();
    await rm(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(`${source} disappeared while ${doing}`);
    throw e;
  }
  await out.close();
  if (hash.digest('hex') !== sha256) {
    await rm(tmp, { force: true });
    throw new UserError(`${source} changed while ${doing}; run the command again`);
  }
  await rename(tmp, target);
}
