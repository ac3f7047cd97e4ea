import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { cli, REPO } from '../cli/run-cli.ts';
import { freePort, startServe, stopServe, type ServeProcess } from '../server/serve-process.ts';

// Issue 7, done when: "The editor's fleet view shows each screen's real state from
// heartbeats, including a screen that stopped painting." End to end, nothing stubbed:
// `ccsp-signage serve --publisher` as a child process with its own data folder and
// SQLite file; two real players (two browser contexts, so two player ids kept in two
// IndexedDBs, named with `?name=`) play the sample channel and send their heartbeats;
// in one of them the items on screen are then hidden (`visibility: hidden` inside the
// player's shadow root), so its painting check fails; a rédacteur made with the CLI
// logs in to /editor/, opens « Parc d’écrans » and reads both screens by name: one
// « En service », the other « N’affiche rien (ne peint plus) » with the reason, the
// version each plays and the French title of the item on screen; what it reads is what
// the server's SQLite file holds. Shown again, the screen is back « En service ».
//
// The players run 20 times fast (`time-scale` 0.05): the server's 60 s heartbeat
// interval becomes 3 s, a 12 s item 0.6 s. The server judges in real time, so no
// screen is `down` (that takes three missed intervals, 3 min) during the test, which
// takes some 15 s.

const SCALE = 0.05;
const PASSWORD = 'mot de passe de la rédactrice';
const CHANNEL = 'ccsp-lokossa';
const GOOD = 'Écran salle d’attente';
const BAD = 'Écran de l’entrée';
/** The sample channel's French titles, by item id. */
const TITLES = new Map(
  (
    JSON.parse(readFileSync(join(REPO, 'playlists', `${CHANNEL}.json`), 'utf8')) as {
      items: { id: string; title: string }[];
    }
  ).items.map((i) => [i.id, i.title]),
);

let tmp: string;
let dataDir: string;
let server: ServeProcess;
let base: string;
let browser: Browser;

/** A player page of its own (own context: own IndexedDB, so its own player id). */
async function openPlayer(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 960, height: 540 }, locale: 'fr-FR' });
  await context.addInitScript(
    ({ scale }) => {
      // Fast time, every item in turn whatever the hour: set before the channel loads.
      new MutationObserver((_, observer) => {
        const player = document.querySelector('ccsp-player');
        if (!player) return;
        player.setAttribute('time-scale', String(scale));
        player.setAttribute('no-schedule', '');
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    },
    { scale: SCALE },
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${base}/?name=${encodeURIComponent(name)}`);
  await page.waitForSelector('ccsp-player[data-item]', { timeout: 30_000 });
  return page;
}

const text = async (l: Locator) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('the fleet view, end to end', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ccsp-fleet-e2e-'));
    dataDir = join(tmp, 'data');
    const env = { CCSP_DATA_DIR: dataDir };
    const added = await cli(['user', 'add', 'awa', '--role', 'redacteur', '--name', 'Awa Dossou'], {
      env: { ...env, CCSP_PASSWORD: PASSWORD },
    });
    expect(added.code, added.stderr).toBe(0);
    const port = await freePort();
    server = await startServe({
      args: ['--publisher', '--playlists', join(REPO, 'playlists')],
      env: { ...env, PORT: String(port) },
    });
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServe(server.child);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows each screen’s real state, including one that stopped painting', async () => {
    const good = await openPlayer(GOOD);
    const bad = await openPlayer(BAD);
    // The entrance screen's items stop being seen: the page still runs, the player
    // still says it plays, but what it puts on screen is hidden.
    await bad.evaluate(() => {
      const root = document.querySelector('ccsp-player')!.shadowRoot!;
      const style = document.createElement('style');
      style.id = 'fleet-e2e-hide';
      style.textContent = '.stage > * { visibility: hidden !important; }';
      root.append(style);
    });

    // A rédacteur opens the fleet page.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Africa/Porto-Novo',
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto(`${base}/editor/`);
    const form = page.locator('ccsp-editor-login');
    await form.getByLabel('Identifiant').fill('awa');
    await form.getByLabel('Mot de passe').fill(PASSWORD);
    await form.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await page.getByRole('link', { name: 'Parc d’écrans' }).click();
    const fleet = page.locator('ccsp-editor-fleet');
    const section = fleet.locator(`section[data-channel="${CHANNEL}"]`);
    await section.getByRole('heading', { name: 'CCSP de Lokossa' }).waitFor();

    // Both screens by name, each in its state: « Actualiser » until the heartbeats tell it.
    const row = (name: string) =>
      section.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    const states = async () => {
      await fleet.getByRole('button', { name: 'Actualiser' }).click();
      return Promise.all([GOOD, BAD].map(async (n) => ((await row(n).count()) === 1 ? text(row(n)) : '')));
    };
    await expect
      .poll(states, { timeout: 30_000, interval: 1000 })
      .toEqual([
        expect.stringContaining('En service'),
        expect.stringContaining('N’affiche rien (ne peint plus)'),
      ]);

    // Read from what the server's SQLite file holds: both screens, and the entrance
    // screen's heartbeats report its item as hidden (those of the other never do).
    const db = new Database(join(dataDir, 'ccsp.sqlite'), { readonly: true, fileMustExist: true });
    const beats = db
      .prepare('SELECT p.name, h.status FROM heartbeats h JOIN players p ON p.id = h.player ORDER BY h.at')
      .all() as { name: string; status: string }[];
    const names = db.prepare('SELECT name FROM players ORDER BY name').pluck().all();
    db.close();
    expect(names).toEqual([BAD, GOOD].sort());
    const painting = (name: string) =>
      beats
        .filter((b) => b.name === name)
        .map((b) => (JSON.parse(b.status) as { painting: { ok: boolean; reason: string | null } }).painting);
    expect(painting(BAD)).toContainEqual(
      expect.objectContaining({ ok: false, reason: 'hidden', visible: false }),
    );
    expect(painting(GOOD).length).toBeGreaterThan(0);
    expect(painting(GOOD).filter((p) => p.reason === 'hidden')).toEqual([]);

    const goodRow = await text(row(GOOD));
    const badRow = await text(row(BAD));
    expect(await row(GOOD).getAttribute('data-state')).toBe('ok');
    expect(await row(BAD).getAttribute('data-state')).toBe('not-painting');
    // Why, in French; the version each plays (the first one published here).
    expect(badRow).toContain('le contenu est masqué');
    expect(goodRow).toContain('v1');
    expect(badRow).toContain('v1');
    expect(goodRow).not.toContain('en retard');
    // What is on screen: the item's French title, not its id.
    for (const r of [goodRow, badRow]) {
      expect(
        [...TITLES.values()].some((t) => r.includes(t)),
        r,
      ).toBe(true);
      expect(
        [...TITLES.keys()].some((id) => r.includes(id)),
        r,
      ).toBe(false);
    }
    // The entrance screen is named in the alarm summary at the top; the other is not.
    const alarm = await text(fleet.locator('.alarm-box'));
    expect(alarm).toContain(`« ${BAD} » (CCSP de Lokossa) : N’affiche rien (ne peint plus)`);
    expect(alarm).not.toContain(GOOD);
    expect(await text(fleet.locator('p').first())).toBe('2 écrans, dont 1 en service.');

    // The painting comes back: the fleet view says so at the next heartbeat.
    await bad.evaluate(() =>
      document.querySelector('ccsp-player')!.shadowRoot!.getElementById('fleet-e2e-hide')!.remove(),
    );
    await expect
      .poll(states, { timeout: 30_000, interval: 1000 })
      .toEqual([expect.stringContaining('En service'), expect.stringContaining('En service')]);

    await context.close();
    await good.context().close();
    await bad.context().close();
  }, 90_000);
});
