import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { saveSettings, seedSettings, settingsHistory } from '../../src/core/settings-service';
import { defaultSettings } from '../../src/core/settings-schema';
import { aPortal } from '../factories';
import { useNockedServer } from '../helpers/nocked-server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { ADMIN_TOKEN, formFields, nockWorkspaceHubSpot, signedInAdmin } from './workspace-fixture';

// The settings history: every save (workspace, PUT /api/settings, restore, the settings file) is a version with
// who, when and what changed; an earlier version is restored after today's checks, as a new version.

const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({ env: { RUN_WORKERS: 'false' }, start: { clock }, before: nockWorkspaceHubSpot });
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${s().url}${path}`, {
    method,
    headers: { ...bearer, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const current = async () => (await (await api('GET', '/api/settings')).json()).settings;
const history = async () => (await (await api('GET', '/api/settings/history')).json()).versions;

describe('settings history', () => {
  it('PUT /api/settings records a version by "API"; a refused PUT names every issue and records nothing', async () => {
    const settings = await current();
    const ok = await api('PUT', '/api/settings', { ...settings, quietPeriodDays: 60 });
    expect(ok.status).toBe(200);
    const [latest] = await history();
    expect(latest).toMatchObject({
      savedBy: 'API',
      source: 'api',
      savedAt: '2026-07-01T12:00:00.000Z',
      changes: [{ path: 'quietPeriodDays', before: 90, after: 60 }],
    });
    expect(latest.settings.quietPeriodDays).toBe(60);
    const count = (await history()).length;

    const bad = await api('PUT', '/api/settings', {
      ...settings,
      brand: { ...settings.brand, color: '#eeeeee' },
      triggers: [{ ...settings.triggers[0], id: 'gone', pipelineId: 'default', stageId: 'no-such-stage' }],
    });
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe('invalid_settings');
    expect(error.message).toContain('brand.color: White button text on #eeeeee');
    expect(error.issues).toEqual([
      { path: ['brand', 'color'], message: expect.stringContaining('contrast ratio of 1.16:1') },
      { path: ['triggers', 0, 'stageId'], message: expect.stringContaining('The stage no-such-stage does not exist') },
    ]);
    const schema = await api('PUT', '/api/settings', { ...settings, linkExpiryDays: 0 });
    expect((await schema.json()).error.issues).toEqual([{ path: ['linkExpiryDays'], message: expect.any(String) }]);
    expect((await history()).length).toBe(count);
    expect((await current()).quietPeriodDays).toBe(60);
  });

  it('lists versions on the history page and restores an earlier one as a new version', async () => {
    const { b } = await signedInAdmin(s().url);
    const fields = formFields(await (await b.fetch('/dashboard/settings/insights')).text());
    expect((await b.form('/dashboard/settings/insights', { ...fields, 'insights.target': '40' })).status).toBe(303);
    const target40 = (await history())[0];
    expect((await b.form('/dashboard/settings/insights', { ...fields, 'insights.target': '70' })).status).toBe(303);
    expect((await current()).insights.target).toBe(70);

    const page = await (await b.fetch('/dashboard/settings/history')).text();
    expect(page).toContain(`id="version-${target40.version}"`);
    expect(page).toMatch(
      /<code>insights.target<\/code>: <span class="before">40<\/span>.*<span class="after">70<\/span>/,
    );
    expect(page).toContain('admin token · settings page');

    const restored = await b.form(`/dashboard/settings/history/${target40.version}/restore`, { _csrf: fields._csrf! });
    expect(restored.status).toBe(303);
    expect((await current()).insights.target).toBe(40);
    const [latest] = await history();
    expect(latest).toMatchObject({
      version: target40.version + 2,
      source: 'restore',
      savedBy: 'admin token',
      changes: [{ path: 'insights.target', before: 70, after: 40 }],
    });
    expect(await (await b.fetch('/dashboard/settings/history?restored=1')).text()).toContain(
      'Restored as a new version',
    );
  });

  it('refuses to restore a version that fails today’s checks, and restore needs the CSRF token', async () => {
    // A version saved without the workspace's checks (schema only), as older releases could.
    await saveSettings(s().deps.db, TEST_PORTAL_ID, {
      ...(await current()),
      brand: { name: 'Pale', color: '#f0f0f0' },
    });
    const pale = (await history())[0];
    await api('PUT', '/api/settings', { ...(await current()), brand: { name: 'Dark', color: '#17233a' } });
    const { b, csrf } = await signedInAdmin(s().url);
    const count = (await history()).length;
    expect((await b.form(`/dashboard/settings/history/${pale.version}/restore`, {})).status).toBe(403);
    const refused = await b.form(`/dashboard/settings/history/${pale.version}/restore`, { _csrf: csrf });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain(`Version ${pale.version} was not restored`);
    expect(html).toContain('brand.color: White button text on #f0f0f0');
    expect((await history()).length).toBe(count);
    expect((await current()).brand.name).toBe('Dark');
    expect((await b.form('/dashboard/settings/history/9999/restore', { _csrf: csrf })).status).toBe(404);
  });

  it('the first seed from the settings file is version 1, by "settings file"; a second seed changes nothing', async () => {
    const { portalId } = await aPortal(s().deps.db);
    const seed = { ...defaultSettings(), quietPeriodDays: 30 };
    await seedSettings(s().deps.db, portalId, seed, new Date('2026-06-01T00:00:00Z'));
    await seedSettings(s().deps.db, portalId, { ...seed, quietPeriodDays: 10 });
    expect(await settingsHistory(s().deps.db, portalId)).toEqual([
      {
        version: 1,
        savedAt: '2026-06-01T00:00:00.000Z',
        savedBy: 'settings file',
        source: 'file',
        changes: [{ path: 'quietPeriodDays', before: 90, after: 30 }],
        settings: seed,
      },
    ]);
  });

  it('concurrent saves each get their own version number, none lost', async () => {
    const settings = await current();
    const before = (await history()).length;
    const saves = await Promise.all(
      [11, 12, 13, 14, 15].map((days) => api('PUT', '/api/settings', { ...settings, reminderAfterDays: days })),
    );
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const versions = await history();
    expect(versions.length).toBe(before + 5);
    const numbers = versions.slice(0, 5).map((v: { version: number }) => v.version);
    expect(new Set(numbers).size).toBe(5);
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(4);
    expect((await current()).reminderAfterDays).toBe(versions[0].settings.reminderAfterDays);
  });
});
