import nock from 'nock';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger';
import { aPortal } from '../factories';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { waitFor } from '../helpers/wait';

// A delivery may carry one event the database cannot store (a NUL byte, a lone surrogate, an id beyond bigint,
// a date beyond any calendar, a pathologically deep payload). That event is skipped and logged; the others of the
// delivery, whichever portal they belong to, are stored, processed and acknowledged with a 200.

const OTHER_PORTAL = 1_002;
const DEEP = '"__deep__"'; // the JSON of the placeholder below

function event(portalId: number, i: number, extra: Record<string, unknown> = {}) {
  return {
    eventId: i,
    subscriptionId: 9,
    portalId,
    appId: 77,
    occurredAt: 1_760_000_000_000 + i,
    subscriptionType: 'product.creation',
    attemptNumber: 0,
    objectId: 7000 + i,
    ...extra,
  };
}

describe('POST /webhooks/hubspot with events the database cannot store', () => {
  let s: TestServer;
  const logLines: string[] = [];
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    s = await startTestServer({}, { logger });
    await aPortal(s.deps.db, { portalId: OTHER_PORTAL });
  });
  afterAll(async () => {
    await s.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const stored = async (lo: number, hi: number) =>
    (
      await s.deps.db.query<{ object_id: string; portal_id: string; status: string; payload: Record<string, unknown> }>(
        'SELECT object_id, portal_id, status, payload FROM webhook_events WHERE object_id BETWEEN $1 AND $2 ORDER BY object_id',
        [lo, hi],
      )
    ).rows;

  it('skips and logs each unstorable event, stores and processes the valid ones of both portals, answers 200', async () => {
    const body = [
      event(TEST_PORTAL_ID, 1),
      event(TEST_PORTAL_ID, 2, { propertyName: 'firstname\u0000' }), // NUL in a name: rejected
      event(OTHER_PORTAL, 3),
      event(TEST_PORTAL_ID, 4, { subscriptionType: 'product.creation\ud800' }), // lone surrogate in a name: rejected
      event(TEST_PORTAL_ID, 5, { objectId: '12345678901234567890' }), // 20-digit id: beyond bigint
      event(TEST_PORTAL_ID, 6, { portalId: '12345678901234567890' }),
      event(OTHER_PORTAL, 7, { objectId: 2 ** 64 }), // 18446744073709551616: 20 digits as a number
      event(TEST_PORTAL_ID, 8, { occurredAt: 8.7e15 }), // beyond any Date
      event(OTHER_PORTAL, 9, { context: '__deep__' }), // 50,000-deep nesting
      event(OTHER_PORTAL, 10, { propertyName: 'note', propertyValue: 'a\u0000b\udc00c' }), // a value: cleaned, kept
      event(TEST_PORTAL_ID, 11),
    ];
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const rawBody = JSON.stringify(body).replace(DEEP, deep);
    const res = await signedFetch(s.url, '/webhooks/hubspot', { rawBody });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.malformed.map((m: { index: number }) => m.index)).toEqual([1, 3, 4, 5, 6, 7, 8]);
    expect(result.accepted).toBe(4);
    expect(result.malformed.map((m: { index: number }) => m.index)).toEqual([1, 3, 4, 5, 6, 7, 8]);

    await waitFor(
      async () => {
        const r = await stored(7000, 7100);
        return r.length === 4 && r.every((x) => x.status === 'ignored');
      },
      { what: 'the valid events stored and processed' },
    );
    const rows = await stored(7000, 7100);
    expect(rows.map((r) => [Number(r.object_id), Number(r.portal_id)])).toEqual([
      [7001, TEST_PORTAL_ID],
      [7003, OTHER_PORTAL],
      [7010, OTHER_PORTAL],
      [7011, TEST_PORTAL_ID],
    ]);
    expect(rows[2]!.payload.propertyValue).toBe('ab\ufffdc');
    const skipped = logLines.filter((l) => l.includes('skipped malformed webhook event'));
    expect(skipped).toHaveLength(7);
  });

  it('when the batch insert fails anyway, stores the events one by one and skips only the failing one', async () => {
    // A database-side refusal the JavaScript checks cannot foresee: a trigger rejects one object id.
    await s.deps.db.exec(`
      CREATE FUNCTION refuse_7203() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_id = 7203 THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_7203 BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_7203();
    `);
    try {
      const res = await signedFetch(s.url, '/webhooks/hubspot', {
        body: [
          event(TEST_PORTAL_ID, 201),
          event(TEST_PORTAL_ID, 202),
          event(OTHER_PORTAL, 203),
          event(OTHER_PORTAL, 204),
        ],
      });
      expect(res.status).toBe(200);
      const result = await res.json();
      expect(result.accepted).toBe(3);
      expect(result.malformed).toEqual([{ index: 2, reason: expect.stringMatching(/could not be stored/) }]);
      await waitFor(
        async () => {
          const r = await stored(7200, 7299);
          return r.length === 3 && r.every((x) => x.status === 'ignored');
        },
        { what: 'the storable events processed' },
      );
      expect((await stored(7200, 7299)).map((r) => Number(r.object_id))).toEqual([7201, 7202, 7204]);
      // A retry of the same delivery stores nothing twice.
      const again = await signedFetch(s.url, '/webhooks/hubspot', {
        body: [
          event(TEST_PORTAL_ID, 201),
          event(TEST_PORTAL_ID, 202),
          event(OTHER_PORTAL, 203),
          event(OTHER_PORTAL, 204),
        ],
      });
      expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    } finally {
      await s.deps.db.exec('DROP TRIGGER refuse_7203 ON webhook_events; DROP FUNCTION refuse_7203()');
    }
  });
});
