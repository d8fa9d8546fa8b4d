import { describe, expect, it } from 'vitest';
import { canSend, surveyStatus } from '../../src/card-api/contact-card';
import { TtlCache } from '../../src/card-api/ttl-cache';
import type { InvitationSummary } from '../../src/card-api/card.repo';

const none: InvitationSummary = { latest: null, pending: null };
const sent = new Date('2026-05-10T10:00:00Z');
const quietUntil = new Date('2026-08-08T10:00:00Z');

describe('survey status on the contact card', () => {
  it.each<[string, InvitationSummary, Date | null, object]>([
    ['no survey ever', none, null, { state: 'none' }],
    [
      'a survey waiting for an answer',
      {
        latest: { status: 'sent', skipReason: null, sentAt: sent },
        pending: { id: 'i', sentAt: sent, scheduledFor: sent },
      },
      quietUntil,
      { state: 'pending', sentAt: sent.toISOString() },
    ],
    [
      'a survey scheduled, not yet sent',
      {
        latest: { status: 'scheduled', skipReason: null, sentAt: null },
        pending: { id: 'i', sentAt: null, scheduledFor: sent },
      },
      quietUntil,
      { state: 'pending' },
    ],
    [
      'the last one skipped for an opt-out, even inside the quiet period',
      { latest: { status: 'skipped', skipReason: 'opted_out', sentAt: null }, pending: null },
      quietUntil,
      { state: 'skipped', reason: 'opted_out' },
    ],
    [
      'the last one answered, quiet period running',
      { latest: { status: 'answered', skipReason: null, sentAt: sent }, pending: null },
      quietUntil,
      {
        state: 'quiet_period',
        reason: 'quiet_period',
        quietUntil: quietUntil.toISOString(),
        sentAt: sent.toISOString(),
      },
    ],
    [
      'the last one skipped for the quiet period, still running',
      { latest: { status: 'skipped', skipReason: 'quiet_period', sentAt: null }, pending: null },
      quietUntil,
      { state: 'quiet_period', reason: 'quiet_period', quietUntil: quietUntil.toISOString() },
    ],
    [
      'the last one answered, quiet period over',
      { latest: { status: 'answered', skipReason: null, sentAt: sent }, pending: null },
      null,
      { state: 'answered', sentAt: sent.toISOString() },
    ],
    [
      'the last one expired',
      { latest: { status: 'expired', skipReason: null, sentAt: sent }, pending: null },
      null,
      { state: 'expired', sentAt: sent.toISOString() },
    ],
  ])('%s', (_name, inv, quiet, expected) => {
    expect(surveyStatus(inv, quiet)).toEqual(expected);
  });
});

describe('"Send survey now" on the contact card', () => {
  it('is disabled with the reason for contacts that cannot be emailed, whatever else holds', () => {
    for (const reason of ['opted_out', 'no_email', 'bounced'] as const) {
      const r = canSend(
        { ok: false, reason },
        { latest: null, pending: { id: 'i', sentAt: null, scheduledFor: sent } },
      );
      expect(r).toMatchObject({
        allowed: false,
        needsConfirmation: false,
        code: reason,
        reason: expect.stringMatching(/\.$/),
      });
    }
  });

  it('is disabled while a survey is pending', () => {
    const r = canSend(
      { ok: false, reason: 'quiet_period', until: quietUntil },
      { latest: null, pending: { id: 'i', sentAt: sent, scheduledFor: sent } },
    );
    expect(r).toMatchObject({ allowed: false, code: 'pending' });
  });

  it('asks for confirmation inside the quiet period and says until when', () => {
    expect(canSend({ ok: false, reason: 'quiet_period', until: quietUntil }, none)).toEqual({
      allowed: true,
      needsConfirmation: true,
      code: 'quiet_period',
      reason: 'The contact is inside the quiet period.',
      quietUntil: quietUntil.toISOString(),
    });
  });

  it('is simply allowed otherwise', () => {
    expect(canSend({ ok: true }, none)).toEqual({ allowed: true, needsConfirmation: false });
  });
});

describe("the card API's HubSpot read cache", () => {
  it('serves a value until its TTL ends, then loads again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>({ maxEntries: 10, ttlMs: 30_000, now: () => now });
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    now = 29_999;
    expect(await cache.get('a', load)).toBe(1);
    now = 30_001;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const cache = new TtlCache<number>({ maxEntries: 10, ttlMs: 30_000 });
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    const values = await Promise.all(Array.from({ length: 20 }, () => cache.get('a', load)));
    expect(new Set(values)).toEqual(new Set([1]));
    expect(loads).toBe(1);
  });

  it('remembers a failure only briefly', async () => {
    let now = 0;
    let calls = 0;
    const cache = new TtlCache<number>({ maxEntries: 10, ttlMs: 30_000, failureTtlMs: 5_000, now: () => now });
    const failing = async () => {
      calls++;
      throw new Error('HubSpot down');
    };
    await expect(cache.get('a', failing)).rejects.toThrow('HubSpot down');
    await expect(cache.get('a', failing)).rejects.toThrow('HubSpot down');
    expect(calls).toBe(1);
    now = 5_001;
    expect(await cache.get('a', async () => 7)).toBe(7);
  });

  it('stays within its bound by dropping the least recently used entry', async () => {
    const cache = new TtlCache<string>({ maxEntries: 2, ttlMs: 30_000 });
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('a', async () => 'a again');
    await cache.get('c', async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'reloaded')).toBe('a');
    expect(await cache.get('b', async () => 'reloaded')).toBe('reloaded');
  });
});
