/**
 * The channel manifest, format 1: the single source of its TypeScript types, of
 * runtime validation and of the JSON Schema committed under playlists/.
 *
 * Two shapes share one definition: the *source* playlist staff write (media named
 * by relative path, no version or dates) and the *signed* manifest the players
 * receive (media named by SHA-256, with version, issued and expires). Messages are
 * codes from messages.ts, so that the CLI reports in English and the editor in
 * French from the same checks.
 */
import * as v from 'valibot';
import { SHA256_HEX } from './hash.ts';
import { isValidTimeZone } from './time-zone.ts';
import type { SchedulableItem } from './schedule/engine.ts';
import { infeasibleFrequencies } from './schedule/feasibility.ts';

export const MANIFEST_FORMAT = 1;
export const DEFAULT_TIMEZONE = 'Africa/Porto-Novo';

export const DEPARTMENTS = [
  'Alibori',
  'Atacora',
  'Atlantique',
  'Borgou',
  'Collines',
  'Couffo',
  'Donga',
  'Littoral',
  'Mono',
  'Ouémé',
  'Plateau',
  'Zou',
] as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const IMAGE_TYPES = ['image/svg+xml', 'image/webp', 'image/png', 'image/jpeg'] as const;
export const VIDEO_TYPES = ['video/mp4', 'video/webm'] as const;
export const CAPTION_TYPES = ['text/vtt'] as const;
export const HLS_TYPES = [
  'application/vnd.apple.mpegurl',
  'video/mp4',
  'video/iso.segment',
  'video/mp2t',
  'audio/mp4',
  'audio/aac',
] as const;
export type MediaType =
  | (typeof IMAGE_TYPES)[number]
  | (typeof VIDEO_TYPES)[number]
  | (typeof CAPTION_TYPES)[number]
  | (typeof HLS_TYPES)[number];

// ---------------------------------------------------------------- scalars

const text = (max: number) =>
  v.pipe(
    v.string('type.string'),
    v.check((s) => s.trim().length > 0, 'text.empty'),
    v.maxLength(max, 'text.max'),
  );

const Id = v.pipe(v.string('type.string'), v.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'id.format'));

/** BCP 47 language tag, as used here: fr, fon, yo, bba, ddn (Dendi; ISO 639-3 gives dje to Zarma), fr-BJ… (RFC 5646 §2.1, simplified). */
const Lang = v.pipe(
  v.string('type.string'),
  v.regex(/^[a-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Z]{2}|\d{3}))?$/, 'lang.format'),
);

const Seconds = v.pipe(
  v.number('duration.positive'),
  v.finite('duration.positive'),
  v.gtValue(0, 'duration.positive'),
  v.maxValue(3600, 'duration.max'),
);

const Clock = v.pipe(v.string('type.string'), v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time.format'));
const Day = v.pipe(v.string('type.string'), v.isoDate('date.format'));
const Timestamp = v.pipe(v.string('type.string'), v.isoTimestamp('timestamp.format'));

const HttpsUrl = v.pipe(
  v.string('type.string'),
  v.url('url.format'),
  v.startsWith('https://', 'url.https'),
  v.maxLength(300, 'text.max'),
);

const TimeZone = v.pipe(v.string('type.string'), v.check(isValidTimeZone, 'timezone.unknown'));

/**
 * A day ("2026-12-01") or a day and time ("2026-12-01T08:00") in the channel's
 * time zone: staff think in the centre's local time, not in UTC offsets.
 */
const LocalDateTime = v.pipe(
  v.string('type.string'),
  v.regex(/^\d{4}-\d{2}-\d{2}(?:T(?:[01]\d|2[0-3]):[0-5]\d)?$/, 'localdatetime.format'),
  v.check((s) => {
    const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'localdatetime.format'),
);

/** A daily window; an end before the start crosses midnight (22:00–02:00). */
const TimeWindow = v.pipe(
  v.strictObject({ start: Clock, end: Clock }, 'type.object'),
  v.forward(
    v.check((w) => w.start !== w.end, 'window.empty'),
    ['end'],
  ),
);

/**
 * When an item may play (docs/schedule.md). Every field narrows: validity from/until,
 * days of the week, daily time windows, opening hours; `every` and `share` ask for
 * airtime within the loop.
 */
const scheduleEntries = {
  /** First day (00:00) or instant it may play. */
  from: v.optional(LocalDateTime),
  /** Last day it may play (inclusive), or the instant it stops. */
  until: v.optional(LocalDateTime),
  days: v.optional(
    v.pipe(v.array(v.picklist(WEEKDAYS, 'weekday.value'), 'type.array'), v.minLength(1, 'days.min')),
  ),
  times: v.optional(
    v.pipe(v.array(TimeWindow, 'type.array'), v.minLength(1, 'times.min'), v.maxLength(8, 'list.max')),
  ),
  /** Limit to the centre's opening hours, or to its closed hours. */
  when: v.optional(v.picklist(['always', 'open', 'closed'], 'when.value'), 'always'),
  /** At least every N minutes. */
  every: v.optional(
    v.pipe(
      v.number('every.format'),
      v.safeInteger('every.format'),
      v.minValue(1, 'every.format'),
      v.maxValue(1440, 'every.format'),
    ),
  ),
  /** A share of the loop's airtime, from 0 (excluded) to 1. */
  share: v.optional(
    v.pipe(v.number('share.format'), v.gtValue(0, 'share.format'), v.maxValue(1, 'share.format')),
  ),
};

/** A date-only `until` covers its whole day, so it compares as the end of that day. */
function untilKey(until: string): string {
  return until.length === 10 ? `${until}T24:00` : until;
}

const Schedule = v.pipe(
  v.strictObject(scheduleEntries, 'type.object'),
  v.forward(
    v.check(
      (s) => s.from === undefined || s.until === undefined || untilKey(s.until) > s.from,
      'until.order',
    ),
    ['until'],
  ),
  v.check((s) => s.every === undefined || s.share === undefined, 'schedule.every-share'),
);

/** Announcements of reforms must end: stale official notices mislead (staff forget). */
const AnnouncementSchedule = v.pipe(
  Schedule,
  v.forward(
    v.check((s) => s.until !== undefined, 'announcement.until'),
    ['until'],
  ),
);

// ---------------------------------------------------------------- media

/** A signed media reference: the file is published as media/<sha256>.<ext>. */
const mediaRef = <const T extends readonly [string, ...string[]]>(types: T) =>
  v.strictObject(
    {
      sha256: v.pipe(v.string('type.string'), v.regex(SHA256_HEX, 'sha256.format')),
      bytes: v.pipe(v.number('bytes.format'), v.safeInteger('bytes.format'), v.minValue(1, 'bytes.format')),
      type: v.picklist(types, 'media.type'),
    },
    'type.object',
  );

const HlsFile = v.strictObject(
  {
    path: v.pipe(v.string('type.string'), v.regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, 'hls.path')),
    sha256: v.pipe(v.string('type.string'), v.regex(SHA256_HEX, 'sha256.format')),
    bytes: v.pipe(v.number('bytes.format'), v.safeInteger('bytes.format'), v.minValue(1, 'bytes.format')),
    type: v.picklist(HLS_TYPES, 'media.type'),
  },
  'type.object',
);

/** An HLS rendition: every file it needs, hashed, so it is cached and checked like any other. */
const SignedHls = v.pipe(
  v.strictObject(
    {
      playlist: v.pipe(v.string('type.string'), v.nonEmpty('text.empty')),
      files: v.pipe(
        v.array(HlsFile, 'type.array'),
        v.minLength(2, 'hls.files'),
        v.maxLength(2000, 'list.max'),
      ),
    },
    'type.object',
  ),
  v.forward(
    v.check((h) => h.files.some((f) => f.path === h.playlist), 'hls.playlist'),
    ['playlist'],
  ),
);

/** In a source playlist, media are paths relative to the playlist file. */
const SourcePath = v.pipe(v.string('type.string'), v.nonEmpty('text.empty'), v.maxLength(300, 'text.max'));

const signedMedia = {
  image: mediaRef(IMAGE_TYPES),
  video: mediaRef(VIDEO_TYPES),
  captions: mediaRef(CAPTION_TYPES),
  hls: SignedHls,
};
const sourceMedia = { image: SourcePath, video: SourcePath, captions: SourcePath, hls: SourcePath };

interface MediaSchemas<I, V, C, H> {
  image: I;
  video: V;
  captions: C;
  hls: H;
}
type AnySchema = v.GenericSchema;

// ---------------------------------------------------------------- items

const Priority = v.optional(v.picklist(['normal', 'urgent'], 'priority.value'), 'normal');

const common = {
  id: Id,
  lang: Lang,
  priority: Priority,
  /** Kept on critical power, like urgent items (opening hours, say): core/power.ts. */
  essential: v.optional(v.boolean('type.boolean')),
  schedule: v.optional(Schedule),
};

function itemSchemas<
  I extends AnySchema,
  V extends AnySchema,
  C extends AnySchema,
  H extends AnySchema,
  D extends AnySchema,
>(m: MediaSchemas<I, V, C, H>, videoDuration: D) {
  const announcementText = { title: text(120), body: text(600) };
  const announcement = v.strictObject(
    {
      ...common,
      schedule: AnnouncementSchedule,
      kind: v.literal('announcement'),
      ...announcementText,
      duration: Seconds,
      image: v.optional(m.image),
      badge: v.optional(text(24)),
      link: v.optional(HttpsUrl),
      translations: v.optional(
        v.array(v.strictObject({ lang: Lang, ...announcementText }, 'type.object'), 'type.array'),
      ),
    },
    'type.object',
  );

  const stepsText = v.pipe(
    v.array(v.strictObject({ text: text(200) }, 'type.object'), 'type.array'),
    v.minLength(1, 'steps.min'),
    v.maxLength(12, 'list.max'),
  );
  const explainerText = {
    title: text(120),
    documents: v.optional(v.pipe(v.array(text(120), 'type.array'), v.maxLength(12, 'list.max')), []),
    cost: v.optional(text(60)),
    processingTime: v.optional(text(60)),
  };
  const explainer = v.strictObject(
    {
      ...common,
      kind: v.literal('explainer'),
      ...explainerText,
      duration: Seconds,
      steps: v.pipe(
        v.array(v.strictObject({ text: text(200), image: v.optional(m.image) }, 'type.object'), 'type.array'),
        v.minLength(1, 'steps.min'),
        v.maxLength(12, 'list.max'),
      ),
      translations: v.optional(
        v.array(
          v.strictObject({ lang: Lang, ...explainerText, steps: stepsText }, 'type.object'),
          'type.array',
        ),
      ),
    },
    'type.object',
  );

  const video = v.pipe(
    v.strictObject(
      {
        ...common,
        kind: v.literal('video'),
        title: text(120),
        // The natural length; in a source playlist signing reads it from the file when omitted.
        duration: videoDuration,
        maxDuration: v.optional(Seconds),
        file: v.optional(m.video),
        hls: v.optional(m.hls),
        poster: v.optional(m.image),
        captions: v.pipe(
          v.array(
            v.strictObject({ lang: Lang, label: v.optional(text(40)), file: m.captions }, 'type.object'),
            'type.array',
          ),
          v.minLength(1, 'captions.min'),
        ),
        translations: v.optional(
          v.array(v.strictObject({ lang: Lang, title: text(120) }, 'type.object'), 'type.array'),
        ),
      },
      'type.object',
    ),
    v.check((item) => item.file !== undefined || item.hls !== undefined, 'video.source'),
  );

  return v.variant('kind', [announcement, explainer, video], 'item.kind');
}

// ---------------------------------------------------------------- channel

const Site = v.strictObject(
  {
    name: text(80),
    commune: text(60),
    department: v.picklist(DEPARTMENTS, 'department.value'),
  },
  'type.object',
);

const OpeningHours = v.pipe(
  v.strictObject(
    {
      days: v.pipe(v.array(v.picklist(WEEKDAYS, 'weekday.value'), 'type.array'), v.minLength(1, 'days.min')),
      open: Clock,
      close: Clock,
    },
    'type.object',
  ),
  v.forward(
    v.check((h) => h.close > h.open, 'hours.order'),
    ['close'],
  ),
);

const Closure = v.pipe(
  v.strictObject({ from: Day, to: v.optional(Day), reason: text(120) }, 'type.object'),
  v.forward(
    v.check((c) => c.to === undefined || c.to >= c.from, 'closure.order'),
    ['to'],
  ),
);

const SignSection = v.strictObject(
  {
    open: text(64),
    closed: text(64),
    notices: v.optional(
      v.pipe(
        v.array(
          v.strictObject(
            { text: text(64), lang: v.optional(Lang), schedule: v.optional(Schedule) },
            'type.object',
          ),
          'type.array',
        ),
        v.maxLength(20, 'list.max'),
      ),
      [],
    ),
  },
  'type.object',
);

const Ticker = v.optional(
  v.pipe(
    v.array(v.strictObject({ text: text(140), lang: v.optional(Lang) }, 'type.object'), 'type.array'),
    v.maxLength(30, 'list.max'),
  ),
  [],
);

/** Item ids are unique within a channel: the player, the reports and the editor key on them. */
function duplicateIdIndexes(items: readonly { id: string }[]): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const dup = seen.has(item.id);
    seen.add(item.id);
    return dup ? [index] : [];
  });
}

function channelEntries<
  I extends AnySchema,
  V extends AnySchema,
  C extends AnySchema,
  H extends AnySchema,
  D extends AnySchema,
>(m: MediaSchemas<I, V, C, H>, videoDuration: D) {
  return {
    channel: Id,
    timezone: v.optional(TimeZone, DEFAULT_TIMEZONE),
    site: Site,
    hours: v.pipe(v.array(OpeningHours, 'type.array'), v.maxLength(14, 'list.max')),
    closures: v.optional(v.pipe(v.array(Closure, 'type.array'), v.maxLength(200, 'list.max')), []),
    /** Close on the public holidays of this calendar (core/schedule/holidays-bj.ts), except the days listed. */
    publicHolidays: v.optional(
      v.strictObject(
        {
          calendar: v.literal('bj', 'holidays.calendar'),
          except: v.optional(v.pipe(v.array(Day, 'type.array'), v.maxLength(50, 'list.max')), []),
        },
        'type.object',
      ),
    ),
    items: v.pipe(
      v.array(itemSchemas(m, videoDuration), 'type.array'),
      v.maxLength(500, 'list.max'),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const items = dataset.value as (SchedulableItem & { id: string })[];
        const at = (index: number, ...keys: string[]): [v.IssuePathItem, ...v.IssuePathItem[]] => {
          let input: unknown = items[index];
          const path: v.IssuePathItem[] = [
            { type: 'array', origin: 'value', input: items, key: index, value: input },
          ];
          for (const key of keys) {
            const value = (input as Record<string, unknown>)[key];
            path.push({
              type: 'object',
              origin: 'value',
              input: input as Record<string, unknown>,
              key,
              value,
            });
            input = value;
          }
          return path as [v.IssuePathItem, ...v.IssuePathItem[]];
        };
        for (const index of duplicateIdIndexes(items))
          addIssue({ message: 'id.duplicate', path: at(index, 'id') });
        for (const p of infeasibleFrequencies(items))
          addIssue({ message: p.code, path: at(p.index, 'schedule', p.field) });
      }),
    ),
    sign: SignSection,
    ticker: Ticker,
  };
}

/** What the communications staff write in playlists/*.json. */
export const SourcePlaylistSchema = v.strictObject(
  {
    $schema: v.optional(v.string('type.string')),
    ...channelEntries(sourceMedia, v.optional(Seconds)),
  },
  'type.object',
);

/** What a signed DSSE envelope carries and every player plays. */
export const ManifestSchema = v.pipe(
  v.strictObject(
    {
      format: v.literal(MANIFEST_FORMAT, 'format.value'),
      version: v.pipe(
        v.number('version.format'),
        v.safeInteger('version.format'),
        v.minValue(1, 'version.format'),
        v.maxValue(0xffffffff, 'version.format'),
      ),
      issued: Timestamp,
      expires: Timestamp,
      ...channelEntries(signedMedia, Seconds),
    },
    'type.object',
  ),
  v.forward(
    v.partialCheck(
      [['issued'], ['expires']],
      (m) => Date.parse(m.expires) > Date.parse(m.issued),
      'expires.order',
    ),
    ['expires'],
  ),
);

export type SourcePlaylist = v.InferOutput<typeof SourcePlaylistSchema>;
export type SourcePlaylistInput = v.InferInput<typeof SourcePlaylistSchema>;
export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type ManifestInput = v.InferInput<typeof ManifestSchema>;
export type Item = Manifest['items'][number];
export type ItemKind = Item['kind'];
export type AnnouncementItem = Extract<Item, { kind: 'announcement' }>;
export type ExplainerItem = Extract<Item, { kind: 'explainer' }>;
export type VideoItem = Extract<Item, { kind: 'video' }>;
export type HlsRendition = NonNullable<VideoItem['hls']>;
export type MediaRef = { sha256: string; bytes: number; type: MediaType };
export type SourceItem = SourcePlaylist['items'][number];
