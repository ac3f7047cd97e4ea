/**
 * The verified manifests the box serves, for the parts of the server that act on
 * them (the sign status): read from the public tree, verified against the trust
 * root once per file version, cached while the file does not change.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TrustedClock, verifyManifest, verifyRoot, type Manifest, type TrustRoot } from '../core/index.ts';

export class ChannelStore {
  private root: { key: string; root: TrustRoot } | undefined;
  private readonly manifests = new Map<string, { key: string; manifest: Manifest | undefined }>();
  constructor(
    private readonly publicDir: string,
    /** The box's own trusted time: never below the latest signed `issued` it has seen. */
    readonly clock = new TrustedClock(),
    /** How long a look at the manifest file holds; the sign endpoint is hot. */
    private readonly recheckMs = 1000,
  ) {}

  private async fileKey(path: string): Promise<string | undefined> {
    const s = await stat(path).catch(() => undefined);
    return s?.isFile() ? `${s.ino}:${s.size}:${s.mtimeMs}` : undefined;
  }

  private async trustRoot(): Promise<TrustRoot | undefined> {
    const path = join(this.publicDir, 'trust', 'root.json');
    const key = await this.fileKey(path);
    if (!key) return undefined;
    if (this.root?.key !== key) {
      const result = await verifyRoot(await readFile(path));
      if (!result.ok) return undefined;
      this.root = { key, root: result.root };
    }
    return this.root.root;
  }

  /** When each channel's file was last looked at. */
  private readonly checked = new Map<string, number>();

  /** The channel's manifest if one has been accepted, else undefined. */
  async manifest(channel: string): Promise<Manifest | undefined> {
    const cached = this.manifests.get(channel);
    const last = this.checked.get(channel);
    const now = Date.now();
    if (cached && last !== undefined && now - last < this.recheckMs && now >= last) return cached.manifest;
    this.checked.set(channel, now);
    const path = join(this.publicDir, 'channels', channel, 'manifest.json');
    const key = await this.fileKey(path);
    if (!key) return cached?.manifest;
    if (cached?.key === key) return cached.manifest;
    const root = await this.trustRoot();
    let manifest: Manifest | undefined;
    if (root) {
      // What the box holds was accepted when it arrived: re-verify the signature, not the expiry.
      const result = await verifyManifest(await readFile(path), {
        root,
        channel,
        now: new Date(),
        checkExpiry: false,
      });
      if (result.status === 'accepted') {
        manifest = result.manifest;
        this.clock.observeSigned(Date.parse(manifest.issued));
      }
    }
    // A rejected file keeps the last good manifest in force.
    if (manifest || !cached) this.manifests.set(channel, { key, manifest: manifest ?? cached?.manifest });
    return manifest ?? cached?.manifest;
  }
}
