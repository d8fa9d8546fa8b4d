import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { useNockedServer, HUBSPOT } from '../helpers/nocked-server';
import { formFields, signedInAdmin } from './workspace-fixture';

// When HubSpot refuses the owners and pipelines reads, the workspace still works: the owner is typed as an id
// with a note, pipelines and stages are typed too, and the pipeline check is skipped rather than blocking saves.

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock: fixedClock('2026-07-01T12:00:00Z') },
  before: () =>
    void nock(HUBSPOT)
      .persist()
      .get('/crm/v3/owners')
      .query(true)
      .reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'missing scopes' })
      .get(/^\/crm\/v3\/pipelines\/\w+$/)
      .reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'missing scopes' }),
});

describe('settings workspace without HubSpot', () => {
  it('falls back to typed owner, pipeline and stage ids, and saves a rule unchecked', async () => {
    const { b } = await signedInAdmin(s().url);
    const followUps = await (await b.fetch('/dashboard/settings/follow-ups')).text();
    expect(followUps).toContain('HubSpot could not be reached to list the owners');
    expect(followUps).toMatch(/<input type="text" id="f-followUps-defaultOwnerId" name="followUps.defaultOwnerId"/);
    const owner = await b.form('/dashboard/settings/follow-ups', {
      ...formFields(followUps),
      'followUps.defaultOwnerId': 'ines',
    });
    expect(owner.status).toBe(400);
    expect(await owner.text()).toContain(
      '<p class="field-error" id="f-followUps-defaultOwnerId-error">a HubSpot owner id</p>',
    );

    expect(await (await b.fetch('/dashboard/settings/triggers')).text()).toContain('HubSpot could not be reached');
    const form = await (await b.fetch('/dashboard/settings/triggers/add')).text();
    const fields = formFields(form);
    const stageKey = Object.keys(fields).find((k) => k.endsWith('.stageId'))!;
    expect(form).toMatch(new RegExp(`<input type="text" [^>]*name="${stageKey.replace(/\./g, '\\.')}"`));
    const saved = await b.form('/dashboard/settings/triggers/add', { ...fields, [stageKey]: 'closedwon' });
    expect(saved.status).toBe(303);
    const settings = (await (await b.fetch('/api/settings')).json()).settings;
    expect(settings.triggers.at(-1)).toMatchObject({ pipelineId: '*', stageId: 'closedwon' });
  });
});
