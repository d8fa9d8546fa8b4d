import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { aPortal, aResponse } from '../factories';
import { useNockedServer } from '../helpers/nocked-server';
import { waitFor } from '../helpers/wait';
import { type Browser } from './dashboard-http';
import { signedInAs as signedInAsUser } from './workspace-fixture';

// Who may change themes (the portal's admins; viewers read), and tagging in the background: with the workers
// running, a new answer is tagged by the ticker without any read asking for it.

const PORTAL = 4005;
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({
  env: { RUN_WORKERS: 'true' },
  start: { clock },
  seed: async (server) => {
    await aPortal(server.deps.db, { portalId: PORTAL, authMode: 'oauth' });
    await server.deps.db.query(
      `INSERT INTO portal_admins (portal_id, hubspot_user_id, added_by, added_at) VALUES ($1, 500, 'install', now())`,
      [PORTAL],
    );
  },
});

const signedInAs = (userId: number, email: string) =>
  signedInAsUser(s().url, PORTAL, userId, email, clock.now().getTime());

const postTheme = (b: Browser, csrf: string, name: string) =>
  b.fetch('/api/themes', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ name, keywords: { en: ['support'] } }),
  });

describe('themes and roles', () => {
  it('an admin defines themes; a viewer reads them and the page without forms, and gets 403 on changes', async () => {
    const admin = await signedInAs(500, 'installer@example.com');
    expect((await postTheme(admin.b, admin.csrf, 'Support')).status).toBe(201);
    expect((await postTheme(admin.b, 'wrong-token', 'Other')).status).toBe(403);

    const viewer = await signedInAs(501, 'viewer@example.com');
    const list = await viewer.b.fetch('/api/themes');
    expect(list.status).toBe(200);
    expect((await list.json()).themes.map((t: { name: string }) => t.name)).toEqual(['Support']);
    const page = await (await viewer.b.fetch('/dashboard/themes')).text();
    expect(page).toContain('Only an NPS Loop admin can change themes.');
    expect(page).not.toContain('method="post"');
    expect((await postTheme(viewer.b, viewer.csrf, 'Price')).status).toBe(403);
    const form = await viewer.b.form('/dashboard/themes', { _csrf: viewer.csrf, name: 'Price', keywords_en: 'price' });
    expect(form.status).toBe(403);
  });

  it('tags a new answer in the background, without a read', async () => {
    const db = s().deps.db;
    const answer = await aResponse(db, {
      portalId: PORTAL,
      contactId: 9,
      score: 3,
      comment: 'Support never answers',
      language: 'en',
      answeredAt: new Date('2026-06-30T10:00:00Z'),
    });
    const tagged = await waitFor(
      async () =>
        (await db.query<{ keyword: string }>('SELECT keyword FROM comment_themes WHERE response_id = $1', [answer.id]))
          .rows[0],
      { what: 'the answer tagged by the ticker' },
    );
    expect(tagged.keyword).toBe('support');
  });
});
