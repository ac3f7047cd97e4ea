/**
 * The server's data folder (CCSP_DATA_DIR, default .data/, git-ignored): its
 * keys, created at first run, and the public tree it serves.
 *
 *   keys/root.key.pem, keys/manifest.key.pem   (0600, never served), and their .pub.pem
 *   public/trust/root.json
 *   public/channels/<id>/manifest.json, public/media/<sha256>.<ext>
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrivateKey, TrustRoot } from '../core/index.ts';
import { readPrivateKey, readRoot, rootDocument, signRoot, writeKeyPair } from './keys.ts';
import { writeFileAtomic } from './files.ts';
import { UserError } from './errors.ts';
import {
  contentOf,
  DEFAULT_EXPIRES_IN_DAYS,
  publishPlaylist,
  readPublishedManifest,
  readSourcePlaylist,
  buildManifestBody,
} from './publish.ts';

export interface DataDir {
  dir: string;
  publicDir: string;
  manifestKey: PrivateKey;
  root: TrustRoot;
  /** True when this call created the keys and the root. */
  created: boolean;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

export async function openDataDir(dir: string): Promise<DataDir> {
  const keysDir = join(dir, 'keys');
  const publicDir = join(dir, 'public');
  const rootPath = join(publicDir, 'trust', 'root.json');
  const rootKeyPath = join(keysDir, 'root.key.pem');
  const manifestKeyPath = join(keysDir, 'manifest.key.pem');
  let created = false;
  if (!(await exists(rootPath))) {
    if (!(await exists(rootKeyPath))) await writeKeyPair(keysDir, 'root');
    if (!(await exists(manifestKeyPath))) await writeKeyPair(keysDir, 'manifest');
    const rootKey = await readPrivateKey(rootKeyPath);
    const manifestKey = await readPrivateKey(manifestKeyPath);
    const doc = rootDocument({
      version: 1,
      rootKeys: [rootKey.publicKey],
      rootThreshold: 1,
      manifestKeys: [manifestKey.publicKey],
      manifestThreshold: 1,
    });
    await writeFileAtomic(rootPath, await signRoot(doc, [rootKey]));
    created = true;
  }
  return {
    dir,
    publicDir,
    manifestKey: await readPrivateKey(manifestKeyPath),
    root: await readRoot(rootPath),
    created,
  };
}

export interface PublishedChannel {
  channel: string;
  version: number;
  /** False when the published manifest already had this content and was kept. */
  signed: boolean;
}

/**
 * Signs every playlists/*.json into the public tree. A channel whose content has
 * not changed keeps its version, unless it expires within a week.
 */
export async function publishDirectory(
  playlistsDir: string,
  data: DataDir,
  now = new Date(),
): Promise<PublishedChannel[]> {
  const entries = await readdir(playlistsDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
      throw new UserError(`playlists folder not found: ${playlistsDir}`);
    throw e;
  });
  const names = entries.filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
  const out: PublishedChannel[] = [];
  for (const name of names) {
    const path = join(playlistsDir, name);
    const playlist = await readSourcePlaylist(path);
    const previous = await readPublishedManifest(data.publicDir, playlist.channel).catch(() => undefined);
    if (previous && Date.parse(previous.expires) - now.getTime() > 7 * 86_400_000) {
      const { body } = await buildManifestBody(path, playlist);
      if (contentOf(body) === contentOf(previous)) {
        out.push({ channel: playlist.channel, version: previous.version, signed: false });
        continue;
      }
    }
    const result = await publishPlaylist(path, {
      key: data.manifestKey,
      outDir: data.publicDir,
      expiresInDays: DEFAULT_EXPIRES_IN_DAYS,
      now,
    });
    out.push({ channel: result.manifest.channel, version: result.manifest.version, signed: true });
  }
  return out;
}
