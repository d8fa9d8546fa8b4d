import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { settingsHistory } from '../../src/core/settings-service';
import { useNockedServer } from '../helpers/nocked-server';
import { TEST_PORTAL_ID } from '../helpers/env';
import {
  ADMIN_TOKEN,
  formFields,
  nockWorkspaceHubSpot,
  pipelines,
  resetPipelines,
  signedInAdmin,
  signedInAs,
} from './workspace-fixture';

// The settings workspace over HTTP: forms rendered from the sections, saves that land whole or not at all, each
// problem next to its field with what the user typed kept, the trigger rules checked against the portal's real
// pipelines, and viewers and forged posts refused.

const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({ env: { RUN_WORKERS: 'false' }, start: { clock }, before: nockWorkspaceHubSpot });

async function stored() {
  return (
    await s().deps.db.query<{ settings: any }>('SELECT settings FROM portals WHERE portal_id = $1', [TEST_PORTAL_ID])
  ).rows[0]!.settings;
}
const versions = async () => (await settingsHistory(s().deps.db, TEST_PORTAL_ID)).length;

describe('settings workspace forms', () => {
  it('shows the menu of sections, linked from the dashboard', async () => {
    const { b } = await signedInAdmin(s().url);
    expect(await (await b.fetch('/dashboard')).text()).toContain('<a href="/dashboard/settings">Settings</a>');
    const menu = await (await b.fetch('/dashboard/settings')).text();
    for (const href of ['brand', 'surveys', 'triggers', 'follow-ups', 'insights', 'history'])
      expect(menu).toContain(`href="/dashboard/settings/${href}"`);
    expect(menu.indexOf('/settings/brand')).toBeLessThan(menu.indexOf('/settings/insights'));
  });

  it('saves a section, redirects with "Saved" and records the version with who and what changed', async () => {
    const { b } = await signedInAdmin(s().url);
    const before = await versions();
    const fields = formFields(await (await b.fetch('/dashboard/settings/brand')).text());
    expect(fields['brand.color']).toBe('#1f5fbf');
    const res = await b.form('/dashboard/settings/brand', {
      ...fields,
      'brand.name': 'Acme & Co',
      'brand.senderEmail': 'cs@acme.example',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/settings/brand?saved=1');
    const page = await (await b.fetch('/dashboard/settings/brand?saved=1')).text();
    expect(page).toContain('id="saved-notice"');
    expect(page).toContain('value="Acme &amp; Co"');
    expect((await stored()).brand).toMatchObject({ name: 'Acme & Co', senderEmail: 'cs@acme.example' });
    const [latest] = await settingsHistory(s().deps.db, TEST_PORTAL_ID);
    expect(await versions()).toBe(before + 1);
    expect(latest).toMatchObject({ savedBy: 'admin token', source: 'workspace' });
    expect(latest!.changes).toEqual([
      { path: 'brand.name', before: 'NPS Loop', after: 'Acme & Co' },
      { path: 'brand.senderEmail', after: 'cs@acme.example' },
    ]);
  });

  it('relationship surveys choose a channel fallback list from the form, stored as the list', async () => {
    const { b } = await signedInAdmin(s().url);
    const page = await (await b.fetch('/dashboard/settings/relationship')).text();
    expect(page).toContain('In-app web survey, else email');
    const fields = formFields(page);
    const res = await b.form('/dashboard/settings/relationship', {
      ...fields,
      'relationship.enabled': 'on',
      'relationship.channel': 'web,email',
    });
    expect(res.status).toBe(303);
    expect((await stored()).relationship).toMatchObject({ enabled: true, channel: ['web', 'email'] });
    const again = formFields(await (await b.fetch('/dashboard/settings/relationship')).text());
    expect(again['relationship.channel']).toBe('web,email');
  });

  it('a schema error is shown next to its field, typed values kept, nothing saved', async () => {
    const { b } = await signedInAdmin(s().url);
    const was = await stored();
    const count = await versions();
    const fields = formFields(await (await b.fetch('/dashboard/settings/surveys')).text());
    const res = await b.form('/dashboard/settings/surveys', {
      ...fields,
      quietPeriodDays: '45',
      linkExpiryDays: 'soon',
      reminderAfterDays: '99',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="error-summary"');
    expect(html).toMatch(
      /id="f-linkExpiryDays" name="linkExpiryDays" aria-invalid="true" aria-describedby="f-linkExpiryDays-error/,
    );
    expect(html).toContain('<p class="field-error" id="f-linkExpiryDays-error">enter a number</p>');
    expect(html).toMatch(/<p class="field-error" id="f-reminderAfterDays-error">Too big[^<]*60/);
    expect(html).toContain('value="soon"');
    expect(html).toContain('value="45"');
    expect(html).not.toMatch(/id="f-quietPeriodDays"[^>]*aria-invalid/);
    expect(await stored()).toEqual(was);
    expect(await versions()).toBe(count);
  });

  it('refuses a brand colour white text cannot be read on, saying the ratio', async () => {
    const { b } = await signedInAdmin(s().url);
    const was = await stored();
    const fields = formFields(await (await b.fetch('/dashboard/settings/brand')).text());
    const res = await b.form('/dashboard/settings/brand', { ...fields, 'brand.color': '#FFD700' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('White button text on #ffd700 has a contrast ratio of 1.40:1; it needs at least 4.5:1.');
    expect(html).toMatch(/id="f-brand-color" name="brand.color" aria-invalid="true"/);
    expect(html).toContain('value="#FFD700"');
    expect(await stored()).toEqual(was);
    const ok = await b.form('/dashboard/settings/brand', { ...fields, 'brand.color': '#0b5394' });
    expect(ok.status).toBe(303);
    expect((await stored()).brand.color).toBe('#0b5394');
  });

  it('lists the portal owners for the default task owner and saves the choice', async () => {
    const { b } = await signedInAdmin(s().url);
    const html = await (await b.fetch('/dashboard/settings/follow-ups')).text();
    expect(html).toContain('<option value="11">Ines Ito</option>');
    const fields = formFields(html);
    const res = await b.form('/dashboard/settings/follow-ups', {
      ...fields,
      'followUps.defaultOwnerId': '22',
      'followUps.passive.enabled': '',
    });
    expect(res.status).toBe(303);
    // An unchecked box is not sent at all.
    const again = formFields(await (await b.fetch('/dashboard/settings/follow-ups')).text());
    delete again['followUps.passive.enabled'];
    expect((await b.form('/dashboard/settings/follow-ups', again)).status).toBe(303);
    expect((await stored()).followUps).toMatchObject({ defaultOwnerId: '22', passive: { enabled: false } });
  });
});

describe('trigger rules', () => {
  it('adds a rule from the real pipelines, and refuses an edit once its stage is gone from HubSpot', async () => {
    resetPipelines();
    const { b } = await signedInAdmin(s().url);
    const form = await (await b.fetch('/dashboard/settings/triggers/add')).text();
    expect(form).toContain('<option value="*" selected>Any deal pipeline</option>');
    // Without JavaScript: choose the pipeline, ask for its stages, then pick one.
    const fields = formFields(form);
    const index = Object.keys(fields)
      .find((k) => k.endsWith('.objectType'))!
      .split('.')[1];
    const key = (k: string) => `triggers.${index}.${k}`;
    const refreshed = await b.form('/dashboard/settings/triggers/add', {
      ...fields,
      [key('pipelineId')]: 'default',
      _action: 'refresh',
    });
    expect(refreshed.status).toBe(200);
    const refreshedHtml = await refreshed.text();
    expect(refreshedHtml).toContain('<option value="contractsent">Contract sent</option>');
    expect(refreshedHtml).not.toContain('<option value="778">');
    const saved = await b.form('/dashboard/settings/triggers/add', {
      ...formFields(refreshedHtml),
      [key('id')]: 'contract-sent',
      [key('stageId')]: 'contractsent',
      [key('delayHours')]: '2',
      [key('wording.followUpQuestion')]: 'What nearly stopped you?',
    });
    expect(saved.status).toBe(303);
    const rule = (await stored()).triggers.find((r: { id: string }) => r.id === 'contract-sent');
    expect(rule).toMatchObject({ objectType: 'deal', pipelineId: 'default', stageId: 'contractsent', delayHours: 2 });
    expect(rule.wording).toEqual({ followUpQuestion: 'What nearly stopped you?' });
    const list = await (await b.fetch('/dashboard/settings/triggers')).text();
    expect(list).toContain('<dd>Sales pipeline</dd>');
    expect(list).toContain('<dd>Contract sent</dd>');

    // Someone deletes the stage in HubSpot: the list warns, and an edit of the rule is refused at the stage.
    pipelines.deals[0]!.stages = pipelines.deals[0]!.stages.filter((st) => st.id !== 'contractsent');
    expect(await (await b.fetch('/dashboard/settings/triggers')).text()).toContain(
      'The stage contractsent does not exist in pipeline default',
    );
    const was = await stored();
    const edit = formFields(await (await b.fetch('/dashboard/settings/triggers/edit/contract-sent')).text());
    const stageKey = Object.keys(edit).find((k) => k.endsWith('.stageId'))!;
    expect(edit[stageKey]).toBe('contractsent');
    const refused = await b.form('/dashboard/settings/triggers/edit/contract-sent', {
      ...edit,
      [stageKey.replace('stageId', 'delayHours')]: '5',
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const id = `f-${stageKey.replace(/\./g, '-')}`;
    expect(html).toContain(`id="${id}" name="${stageKey}" aria-invalid="true" aria-describedby="${id}-error`);
    expect(html).toContain('The stage contractsent does not exist in pipeline default in HubSpot (any more)');
    expect(html).toContain('value="5"');
    expect(await stored()).toEqual(was);

    // Turning it off and removing it are saves like any other; an unchanged stale rule blocks neither.
    expect((await b.form('/dashboard/settings/triggers/toggle/deal-closed-won', { _csrf: edit._csrf! })).status).toBe(
      303,
    );
    expect((await stored()).triggers.find((r: { id: string }) => r.id === 'deal-closed-won').enabled).toBe(false);
    expect((await b.form('/dashboard/settings/triggers/remove/contract-sent', { _csrf: edit._csrf! })).status).toBe(
      303,
    );
    expect((await stored()).triggers.map((r: { id: string }) => r.id)).not.toContain('contract-sent');
  });
});

describe('a rule’s in-app snooze', () => {
  it('is checked next to its field, saved, shown on the list, and removed when left empty', async () => {
    resetPipelines();
    const { b } = await signedInAdmin(s().url);
    const form = await (await b.fetch('/dashboard/settings/triggers/add')).text();
    expect(form).toContain('Snooze after a dismissal (days), in-app only');
    const fields = formFields(form);
    const key = Object.keys(fields).find((k) => k.endsWith('.webSnoozeDays'))!;
    expect(fields[key]).toBe('');
    const rule = {
      ...fields,
      [key.replace('webSnoozeDays', 'id')]: 'snoozy',
      [key.replace('webSnoozeDays', 'stageId')]: 'closedwon',
    };
    const was = await stored();
    const refused = await b.form('/dashboard/settings/triggers/add', { ...rule, [key]: '0' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const id = `f-${key.replace(/\./g, '-')}`;
    expect(html).toContain(`id="${id}" name="${key}" aria-invalid="true" aria-describedby="${id}-error`);
    expect(html).toContain(`<p class="field-error" id="${id}-error">at least 1 day</p>`);
    expect(await stored()).toEqual(was);

    expect((await b.form('/dashboard/settings/triggers/add', { ...rule, [key]: '3' })).status).toBe(303);
    const saved = () => stored().then((st) => st.triggers.find((r: { id: string }) => r.id === 'snoozy'));
    expect((await saved()).webSnoozeDays).toBe(3);
    expect(await (await b.fetch('/dashboard/settings/triggers')).text()).toContain(
      '<dt>Snooze after a dismissal (in-app)</dt><dd>3 days</dd>',
    );
    const edit = formFields(await (await b.fetch('/dashboard/settings/triggers/edit/snoozy')).text());
    const editKey = Object.keys(edit).find((k) => k.endsWith('.webSnoozeDays'))!;
    expect(edit[editKey]).toBe('3');
    expect((await b.form('/dashboard/settings/triggers/edit/snoozy', { ...edit, [editKey]: '' })).status).toBe(303);
    expect(await saved()).not.toHaveProperty('webSnoozeDays');
  });
});

describe('a rule form loaded before another change', () => {
  it('still saves its rule when rules were removed in the meantime', async () => {
    resetPipelines();
    const { b } = await signedInAdmin(s().url);
    const fields = formFields(await (await b.fetch('/dashboard/settings/triggers/add')).text());
    const prefix = Object.keys(fields)
      .find((k) => k.endsWith('.objectType'))!
      .replace('objectType', '');
    const settings = await stored();
    const removed = await fetch(`${s().url}/api/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...settings, triggers: settings.triggers.slice(1) }),
    });
    expect(removed.status).toBe(200);
    const saved = await b.form('/dashboard/settings/triggers/add', {
      ...fields,
      [`${prefix}id`]: 'late-rule',
      [`${prefix}stageId`]: 'closedwon',
    });
    expect(saved.status).toBe(303);
    const ids = (await stored()).triggers.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...settings.triggers.slice(1).map((r: { id: string }) => r.id), 'late-rule']);
  });
});

describe('who may save', () => {
  it('refuses a post without the CSRF token, and a viewer sees the forms read-only and cannot save', async () => {
    const { b } = await signedInAdmin(s().url);
    const fields = formFields(await (await b.fetch('/dashboard/settings/insights')).text());
    const { _csrf, ...noCsrf } = fields;
    expect(_csrf).toBeTruthy();
    const forged = await b.form('/dashboard/settings/insights', { ...noCsrf, 'insights.target': '10' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('CSRF');

    const viewer = await signedInAs(s().url, TEST_PORTAL_ID, 11, 'ada@example.com', clock.now().getTime());
    const page = await (await viewer.b.fetch('/dashboard/settings/insights')).text();
    expect(page).toContain('<fieldset disabled>');
    expect(page).toContain('id="read-only"');
    expect(page).not.toContain('>Save</button>');
    const refused = await viewer.b.form('/dashboard/settings/insights', {
      ...formFields(page),
      'insights.target': '10',
    });
    expect(refused.status).toBe(403);
    expect((await stored()).insights?.target ?? 50).toBe(50);
  });
});
