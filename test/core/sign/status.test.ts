import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  reopeningText,
  signStatus,
  validateManifest,
  type Manifest,
  type ManifestInput,
} from '../../../src/core/index.ts';
import { sampleManifest } from '../../fixtures.ts';

const at = (local: string) => Date.parse(`${local}:00+01:00`);

function manifest(overrides: Partial<ManifestInput> = {}): Manifest {
  const r = validateManifest(
    sampleManifest({
      hours: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '15:00', close: '18:30' },
        { days: ['sat'], open: '09:00', close: '13:00' },
      ],
      sign: { open: 'OUVERT — Bienvenue', closed: 'FERMÉ — réouverture {reouverture}' },
      ...overrides,
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

describe('signStatus', () => {
  it('shows OUVERT in green at full brightness while the centre is open', () => {
    const s = signStatus(manifest(), at('2026-12-01T10:00'), 'ok');
    expect(s).toMatchObject({
      mode: 'open',
      on: true,
      bri: 255,
      col: '00C853',
      txt: 'OUVERT - Bienvenue',
      txt_u: 'OUVERT — Bienvenue',
      fx: 'scroll',
    });
    expect(s.tz).toBe(3600);
    expect(s.t).toBe(at('2026-12-01T10:00') / 1000);
  });

  it('says when the centre reopens, in French', () => {
    const m = manifest();
    expect(signStatus(m, at('2026-12-01T13:00'), 'ok').txt_u).toBe('FERMÉ — réouverture 15 h'); // lunch
    expect(signStatus(m, at('2026-12-01T19:00'), 'ok').txt_u).toBe('FERMÉ — réouverture demain 8 h');
    expect(signStatus(m, at('2026-12-05T14:00'), 'ok').txt).toBe('FERME - reouverture lundi 8 h'); // Saturday afternoon
    expect(reopeningText(m, at('2026-12-01T10:00'))).toBeUndefined();
  });

  it('switches at the right minute in Porto-Novo, whatever the zone of the machine', () => {
    const m = manifest();
    const original = process.env.TZ;
    try {
      for (const tz of ['Europe/Paris', 'America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expect(signStatus(m, at('2026-12-01T07:59'), 'ok').mode, tz).toBe('closed');
        expect(signStatus(m, at('2026-12-01T08:00'), 'ok').mode, tz).toBe('open');
        expect(signStatus(m, at('2026-12-01T12:30'), 'ok').mode, tz).toBe('closed');
      }
    } finally {
      process.env.TZ = original;
    }
  });

  it('shows an urgent item as a notice: blinking when it fits, scrolling when it must', () => {
    const urgent = (id: string, title: string) => ({
      id,
      kind: 'announcement' as const,
      lang: 'fr',
      priority: 'urgent' as const,
      title,
      body: 'x',
      duration: 10,
      schedule: { from: '2026-12-01', until: '2026-12-01' },
    });
    const long = manifest({
      items: [...sampleManifest().items, urgent('coupure', 'Coupure d’électricité : démarches reportées')],
    });
    expect(signStatus(long, at('2026-12-01T10:00'), 'ok')).toMatchObject({
      mode: 'info',
      fx: 'scroll',
      col: 'FFAB00',
      txt: "Coupure d'electricite : demarches reportees",
    });
    const short = manifest({ items: [...sampleManifest().items, urgent('alerte', 'ALERTE')] });
    expect(signStatus(short, at('2026-12-01T10:00'), 'ok')).toMatchObject({
      mode: 'info',
      fx: 'blink',
      spd: 0,
    });
  });

  it('polls less often on battery saving', () => {
    const m = manifest();
    expect(signStatus(m, at('2026-12-01T20:00'), 'ok').poll).toBe(300);
    expect(signStatus(m, at('2026-12-01T20:00'), 'eco').poll).toBe(600);
    expect(signStatus(m, at('2026-12-01T20:00'), 'crit').poll).toBe(1200);
  });

  it('keeps "demain" valid only until midnight, when it becomes today', () => {
    const s = signStatus(manifest(), at('2026-12-01T19:00'), 'ok');
    expect(s.txt).toBe('FERME - reouverture demain 8 h');
    expect(s.valid).toBe(5 * 3600);
  });

  it('adds a sign notice to the open text during its schedule', () => {
    const m = manifest({
      sign: {
        open: 'OUVERT',
        closed: 'FERMÉ',
        notices: [{ text: 'Cartes NPI disponibles', schedule: { days: ['tue'] } }],
      },
    });
    expect(signStatus(m, at('2026-12-01T10:00'), 'ok')).toMatchObject({
      mode: 'open',
      txt: 'OUVERT . Cartes NPI disponibles',
      txt_u: 'OUVERT · Cartes NPI disponibles',
    });
    expect(signStatus(m, at('2026-12-02T10:00'), 'ok')).toMatchObject({
      mode: 'open',
      txt: 'OUVERT',
      fx: 'static',
      spd: 0,
    });
  });

  it('dims on eco power and switches off at night on critical power', () => {
    const m = manifest();
    expect(signStatus(m, at('2026-12-01T10:00'), 'eco')).toMatchObject({ bri: 128, pwr: 'eco', on: true });
    expect(signStatus(m, at('2026-12-01T10:00'), 'crit')).toMatchObject({ bri: 64, mode: 'open' });
    expect(signStatus(m, at('2026-12-01T22:00'), 'crit')).toMatchObject({ mode: 'off', on: false, bri: 0 });
  });

  it('gives the week Monday first, with the first opening and last closing, [0, 0] when closed', () => {
    expect(signStatus(manifest(), at('2026-12-01T10:00'), 'ok').wk).toEqual([
      [480, 1110],
      [480, 1110],
      [480, 1110],
      [480, 1110],
      [480, 1110],
      [540, 780],
      [0, 0],
    ]);
  });

  it('tells the sign when to poll and how long the content holds', () => {
    const s = signStatus(manifest(), at('2026-12-01T12:25'), 'ok');
    expect(s.valid).toBe(300); // closes at 12:30
    expect(s.poll).toBe(300);
    const soon = signStatus(manifest(), at('2026-12-01T12:29:55'.slice(0, 16)), 'ok');
    expect(soon.poll).toBeGreaterThanOrEqual(10);
  });

  it('works on the sample channel', () => {
    const source = JSON.parse(
      readFileSync(new URL('../../../playlists/ccsp-lokossa.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const m = manifest({ sign: source.sign as ManifestInput['sign'] });
    expect(signStatus(m, at('2026-11-28T06:12'), 'ok').txt).toBe('FERME - reouverture 9 h');
  });
});
