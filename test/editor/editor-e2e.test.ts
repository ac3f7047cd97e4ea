import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.mjs';
import { cli, REPO } from '../cli/run-cli.ts';
import { freePort, startServe, stopServe, type ServeProcess } from '../server/serve-process.ts';

// The editor end to end, on the real server (`ccsp-signage serve --publisher` as a
// child process) in real Chromium: an admin made with the CLI creates two
// accounts; a rédacteur writes an announcement with an uploaded image and an end
// date, previews it at 9:16 and submits it; a validateur approves and publishes;
// the player at / gets it at its next poll; the history shows both versions and
// restoring the first makes a draft equal to it.
//
// CCSP_SCREENSHOTS=1 also writes docs/images/editor-*.png (for docs/editor.md).

const SHOTS = process.env.CCSP_SCREENSHOTS === '1' ? join(REPO, 'docs', 'images') : undefined;
const ADMIN_PASSWORD = 'mot de passe administrateur';
const REDAC_PASSWORD = 'mot de passe du rédacteur';
const VALID_PASSWORD = 'mot de passe du validateur';
const CHANNEL = 'ccsp-lokossa';
const TITLE = 'Carte d’identité biométrique : demandez-la ici';

let tmp: string;
let server: ServeProcess;
let base: string;
let browser: Browser;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `editor-${name}.png`);
  await page.screenshot({ path });
  expect(statSync(path).size, `${name}.png stays small`).toBeLessThan(300 * 1024);
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  // confirm() of removals, restores and logouts: staff answer yes.
  page.on('dialog', (d) => void d.accept());
  return page;
}

async function login(page: Page, who: string, password: string): Promise<void> {
  await page.goto(`${base}/editor/#/chaines`);
  const form = page.locator('ccsp-editor-login');
  await form.getByLabel('Identifiant').fill(who);
  await form.getByLabel('Mot de passe').fill(password);
  await form.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.locator('ccsp-editor-login').waitFor();
}

/** The API as the page's session sees it (same cookie, same origin). */
function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api/editor/${p}`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return r.json();
  }, path) as Promise<T>;
}

describe('the editor, end to end', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ccsp-editor-e2e-'));
    const dataDir = join(tmp, 'data');
    const env = { CCSP_DATA_DIR: dataDir };
    const added = await cli(['user', 'add', 'admin', '--role', 'admin', '--name', 'Adjoa Admin'], {
      env: { ...env, CCSP_PASSWORD: ADMIN_PASSWORD },
    });
    expect(added.code, added.stderr).toBe(0);
    const port = await freePort();
    server = await startServe({
      args: ['--publisher', '--playlists', join(REPO, 'playlists')],
      env: { ...env, PORT: String(port) },
    });
    base = `http://127.0.0.1:${port}`;
    // French date and time fields where the browser follows the language (headless Chromium may not).
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: [...CHROMIUM_ARGS, '--lang=fr-FR'],
      env: { ...process.env, LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr' },
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServe(server.child);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('goes from a new account to a published announcement on the screen, and back', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Africa/Porto-Novo',
    });
    const page = await newPage(context);

    // 1. The admin creates a rédacteur and a validateur in the Comptes page.
    await page.goto(`${base}/editor/`);
    await page.locator('ccsp-editor-login').getByLabel('Identifiant').waitFor();
    await shot(page, 'login');
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Comptes' }).click();
    const accounts = page.locator('ccsp-editor-accounts');
    for (const [login, name, role, password] of [
      ['afi', 'Afi Houngbo', 'Rédacteur', REDAC_PASSWORD],
      ['koffi', 'Koffi Dossou', 'Validateur', VALID_PASSWORD],
    ] as const) {
      await accounts.getByLabel('Nom et prénom').fill(name);
      await accounts.getByLabel('Identifiant').fill(login);
      await accounts.getByLabel('Rôle', { exact: true }).selectOption({ label: role });
      await accounts.getByLabel('Mot de passe').fill(password);
      await accounts.getByRole('button', { name: 'Créer le compte' }).click();
      await accounts.getByText(`Compte « ${login} » créé`).waitFor();
    }
    await accounts.getByRole('rowheader', { name: 'Koffi Dossou' }).waitFor();
    await logout(page);

    // 2. The rédacteur writes an announcement with an uploaded image and an end date.
    await login(page, 'afi', REDAC_PASSWORD);
    await page.getByRole('link', { name: 'CCSP de Lokossa' }).first().click();
    const channel = page.locator('ccsp-editor-channel');
    await channel.getByRole('button', { name: 'Ajouter une annonce' }).click();
    const form = channel.locator('section.item-form');
    await form.getByLabel('Titre', { exact: true }).fill(TITLE);
    await form
      .getByLabel('Texte', { exact: true })
      .fill(
        'La demande se fait au point focal du CCSP avec votre NPI. Vous recevez un SMS quand la carte est prête.',
      );
    const picker = form.locator('ccsp-editor-media-picker').first();
    await picker
      .locator('input[type=file]')
      .setInputFiles(join(REPO, 'assets', 'images', 'ccsp-accueil.svg'));
    await expect
      .poll(() => picker.evaluate((p) => (p as HTMLElement & { value: string }).value), { timeout: 15_000 })
      .toMatch(/^[0-9a-f]{64}\.svg$/);
    await form.getByLabel('Jusqu’au', { exact: true }).fill('2027-06-30');
    await form.getByRole('group', { name: 'Priorité' }).getByLabel('Urgente').check();
    await expect.poll(() => channel.locator('.summary').count()).toBe(0);
    await form.locator('h2').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'channel');
    await channel.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await channel.getByText('Brouillon enregistré').waitFor();

    // Preview at 9:16.
    await channel.getByRole('link', { name: 'Aperçu' }).click();
    const preview = channel.locator('ccsp-editor-preview');
    await preview
      .getByLabel(/9:16|portrait/i)
      .first()
      .check();
    await expect
      .poll(() => preview.evaluate((p) => p.getAttribute('orientation')), { timeout: 10_000 })
      .toBe('portrait');
    await preview
      .getByText(TITLE)
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await page.waitForTimeout(1500);
    // The preview in view, below the action bar that stays at the top.
    await preview.evaluate((p) => window.scrollTo(0, p.getBoundingClientRect().top + window.scrollY - 110));
    await shot(page, 'preview');

    await channel.getByRole('link', { name: 'Éléments' }).click();
    await channel.getByRole('button', { name: 'Soumettre pour validation' }).click();
    await channel.getByText('Brouillon soumis pour validation. Un validateur').waitFor();
    await logout(page);

    // The player at / plays version 1 until then.
    const player = await newPage(
      await browser.newContext({ viewport: { width: 960, height: 540 }, locale: 'fr-FR' }),
    );
    await player.goto(`${base}/`);
    await player.waitForSelector('ccsp-player[data-manifest-version="1"]', { timeout: 30_000 });

    // 3. The validateur approves and publishes.
    await login(page, 'koffi', VALID_PASSWORD);
    await page.goto(`${base}/editor/#/chaines/${CHANNEL}`);
    await channel.getByRole('button', { name: 'Approuver et publier' }).waitFor();
    await shot(page, 'approve');
    await channel.getByRole('button', { name: 'Approuver et publier' }).click();
    await channel.getByText('Version 2 publiée').waitFor({ timeout: 60_000 });

    // 4. The player takes it at its next poll (the online event polls at once).
    await player.evaluate(() => window.dispatchEvent(new Event('online')));
    await player.waitForSelector('ccsp-player[data-manifest-version="2"]', { timeout: 30_000 });
    const id = await player.evaluate(
      (title) => document.querySelector('ccsp-player')!.manifest!.items.find((i) => i.title === title)?.id,
      TITLE,
    );
    expect(id).toBeTruthy();
    // Whatever the hour (the centre may be closed now), show it: the player's own preview mode.
    await player.evaluate(() => (document.querySelector('ccsp-player')!.noSchedule = true));
    await expect
      .poll(
        () =>
          player.evaluate((id) => {
            const p = document.querySelector('ccsp-player')!;
            if (p.dataset.item !== id) p.jump(id!);
            return p.dataset.item;
          }, id),
        { timeout: 20_000, interval: 500 },
      )
      .toBe(id);
    await player.getByText(TITLE).first().waitFor();

    // 5. The history shows both versions; restoring the first makes a draft equal to it.
    await channel.getByRole('link', { name: 'Historique' }).click();
    const history = channel.locator('ccsp-editor-history');
    await history.getByRole('rowheader', { name: '2', exact: true }).waitFor();
    await history.getByRole('rowheader', { name: '1', exact: true }).waitFor();
    await history.getByRole('button', { name: 'Restaurer comme brouillon (version 1)' }).click();
    await channel.getByText('La version choisie est maintenant le brouillon').waitFor();
    const detail = await apiGet<{ draft: { playlist: unknown; state: string } | null }>(
      page,
      `channels/${CHANNEL}`,
    );
    const v1 = await apiGet<{ playlist: unknown }>(page, `channels/${CHANNEL}/versions/1`);
    expect(detail.draft?.state).toBe('editing');
    expect(detail.draft?.playlist).toEqual(v1.playlist);

    await context.close();
  }, 240_000);
});
