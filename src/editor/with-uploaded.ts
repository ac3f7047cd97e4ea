/** A media list after an upload: the new file first, in place of any with its name (the same bytes again). */
export function withUploaded<T extends { name: string }>(list: readonly T[], entry: T): T[] {
  return [entry, ...list.filter((e) => e.name !== entry.name)];
}
