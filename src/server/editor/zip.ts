/**
 * A small .zip reader (APPNOTE.TXT 6.3: stored and deflated entries, no ZIP64, no
 * encryption) to unpack an HLS rendition staff zipped, with node:zlib. It trusts
 * nothing in the archive: names with `..` or an absolute path are refused, and the
 * unpacked size is counted as it is inflated, so a zip bomb stops at the cap
 * whatever sizes its headers claim.
 */
import { open, mkdir, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInflateRaw, crc32 } from 'node:zlib';
import { checkRelativePath, MediaError, type HlsSourceFile } from './media-library.ts';

export interface UnzipLimits {
  /** Sum of the unpacked sizes. */
  maxBytes: number;
  maxEntries: number;
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const badZip = (why: string) =>
  new MediaError(415, 'bad-type', `L’archive .zip est illisible ou d’un format non pris en charge (${why}).`);

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readCentralDirectory(path: string, limits: UnzipLimits): Promise<Entry[]> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    // The end record is 22 bytes plus a comment of at most 65535.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let at = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw badZip('pas de répertoire central');
    const count = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw badZip('ZIP64');
    if (count > limits.maxEntries) {
      throw new MediaError(
        413,
        'too-large',
        `L’archive contient trop de fichiers (plus de ${limits.maxEntries}).`,
      );
    }
    if (cdOffset + cdSize > size) throw badZip('répertoire central hors du fichier');
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: Entry[] = [];
    let declared = 0;
    for (let p = 0, i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw badZip('répertoire central abîmé');
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
      // Bit 11: UTF-8 names; else CP437, read as latin1 (only ASCII names are kept anyway).
      const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
      const entry: Entry = {
        name,
        method,
        crc: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localOffset: cd.readUInt32LE(p + 42),
      };
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) {
        checkRelativePath(name.slice(0, -1));
        continue;
      }
      checkRelativePath(name);
      if (flags & 0x1) throw badZip('archive chiffrée');
      if (method !== 0 && method !== 8) throw badZip(`méthode de compression ${method}`);
      if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw badZip('ZIP64');
      declared += entry.size;
      if (declared > limits.maxBytes) throw tooLargeArchive(limits.maxBytes);
      entries.push(entry);
    }
    // The data offset needs the local header's own name and extra lengths.
    for (const e of entries) {
      const local = Buffer.alloc(30);
      await handle.read(local, 0, 30, e.localOffset);
      if (local.readUInt32LE(0) !== LOCAL) throw badZip('en-tête local abîmé');
      e.localOffset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (e.localOffset + e.compressedSize > size) throw badZip('fichier tronqué');
    }
    return entries;
  } finally {
    await handle.close();
  }
}

const tooLargeArchive = (max: number) =>
  new MediaError(
    413,
    'too-large',
    `L’archive dépasse la taille permise une fois décompressée (${Math.round(max / 1048576)} Mo).`,
  );

/**
 * Unpacks `zipPath` into `destDir` (created) under numbered file names, and returns
 * each entry's archive path with where its bytes now are.
 */
export async function unzipTo(
  zipPath: string,
  destDir: string,
  limits: UnzipLimits,
): Promise<HlsSourceFile[]> {
  const entries = await readCentralDirectory(zipPath, limits);
  await mkdir(destDir, { recursive: true });
  const out: HlsSourceFile[] = [];
  let total = 0;
  for (const [i, e] of entries.entries()) {
    const target = join(destDir, String(i));
    const handle = await open(target, 'wx', 0o600);
    let written = 0;
    let crc = 0;
    try {
      if (e.compressedSize > 0) {
        const raw = createReadStream(zipPath, {
          start: e.localOffset,
          end: e.localOffset + e.compressedSize - 1,
        });
        const data = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
        try {
          for await (const chunk of data) {
            const b = chunk as Buffer;
            written += b.length;
            total += b.length;
            // More than the header said, or more than the cap: a bomb or a lie; stop inflating now.
            if (written > e.size) throw badZip(`« ${e.name} » est plus grand que ne le dit l’archive`);
            if (total > limits.maxBytes) throw tooLargeArchive(limits.maxBytes);
            crc = crc32(b, crc);
            await handle.write(b);
          }
        } catch (err) {
          raw.destroy();
          if (err instanceof MediaError) throw err;
          throw badZip(`« ${e.name} » : ${(err as Error).message}`);
        }
      }
      if (written !== e.size || crc !== e.crc)
        throw badZip(`« ${e.name} » est abîmé (taille ou somme de contrôle)`);
    } catch (err) {
      await handle.close();
      await rm(target, { force: true });
      throw err;
    }
    await handle.close();
    out.push({ path: e.name, source: target });
  }
  return out;
}
