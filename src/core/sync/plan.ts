/**
 * Which media a manifest needs, in the order it needs them (issue 5 "The cycle",
 * step 3): the files of the items the schedule plays in the coming horizon, in
 * the order they first play, then the rest in manifest order.
 */
import type { Manifest } from '../manifest-schema.ts';
import { manifestMedia, type MediaFile } from '../media.ts';
import { timeline } from '../schedule/planner.ts';

export const DEFAULT_HORIZON_MS = 24 * 3600_000;

export interface MediaPlan {
  /** Needed within the horizon, soonest first: the commit waits for these. */
  needed: MediaFile[];
  /** Needed later (or never by the current schedule): downloaded after the commit. */
  later: MediaFile[];
}

export function mediaPlan(manifest: Manifest, from: number, horizonMs = DEFAULT_HORIZON_MS): MediaPlan {
  const needed = new Map<string, MediaFile>();
  const seen = new Set<string>();
  for (const entry of timeline(manifest, from, from + horizonMs)) {
    const item = entry.item;
    if (!item || seen.has(item.id)) continue;
    seen.add(item.id);
    for (const f of manifestMedia({ ...manifest, items: [item] })) needed.set(f.sha256, f);
  }
  const later = manifestMedia(manifest).filter((f) => !needed.has(f.sha256));
  return { needed: [...needed.values()], later };
}
