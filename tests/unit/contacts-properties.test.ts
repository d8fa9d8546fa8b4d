import { describe, expect, it } from 'vitest';
import { parseHubSpotDate, toCompanyRecord, toContactRecord } from '../../src/contacts/properties';

describe('toContactRecord', () => {
  const full = {
    id: '501',
    properties: {
      email: ' Ada@Example.COM ',
      firstname: 'Ada',
      lastname: 'Lovelace',
      hs_language: 'da',
      hubspot_owner_id: '77',
      associatedcompanyid: '9001',
      lifecyclestage: 'customer',
      createdate: '2025-01-02T03:04:05.000Z',
      hs_lifecyclestage_customer_date: '1735787045000',
      hs_email_optout: 'true',
      mobilephone: '+45 20 12 34 56',
      phone: '33 12 34 56',
      country: 'DK',
      lastmodifieddate: '2026-02-03T04:05:06.789Z',
    },
  };

  it('maps every mirrored property to its typed column', () => {
    expect(toContactRecord(full)).toEqual({
      contactId: '501',
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      language: 'da',
      ownerId: '77',
      companyId: '9001',
      lifecycleStage: 'customer',
      createdAt: new Date('2025-01-02T03:04:05.000Z'),
      customerSince: new Date(1735787045000),
      optedOut: true,
      bounced: false,
      updatedAt: new Date('2026-02-03T04:05:06.789Z'),
      mobilephone: '+45 20 12 34 56',
      phone: '33 12 34 56',
      country: 'DK',
    });
  });

  const odd: Array<[string, Record<string, string | null>, Record<string, unknown>]> = [
    ['a malformed email becomes no email', { email: 'not an email' }, { email: null }],
    ['an empty name becomes null', { firstname: '  ' }, { firstname: null }],
    ['a non-numeric company id is ignored', { associatedcompanyid: 'abc' }, { companyId: null }],
    ['opt-out "false" means subscribed', { hs_email_optout: 'false' }, { optedOut: false }],
    ['a missing opt-out means subscribed', { hs_email_optout: null }, { optedOut: false }],
    ['any hard bounce reason means bounced', { hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' }, { bounced: true }],
    ['an invalid address means bounced', { hs_email_bad_address: 'true' }, { bounced: true }],
    [
      'an empty bounce reason and a valid address mean deliverable',
      { hs_email_hard_bounce_reason_enum: ' ', hs_email_bad_address: 'false' },
      { bounced: false },
    ],
    ['a regional language code is kept', { hs_language: 'en-US' }, { language: 'en-us' }],
    ['an unparseable date becomes null', { createdate: 'yesterday' }, { createdAt: null }],
  ];
  it.each(odd)('%s', (_name, props, expected) => {
    expect(toContactRecord({ id: '7', properties: props })).toMatchObject(expected);
  });

  it('falls back to the record timestamps when the date properties are absent', () => {
    const r = toContactRecord({
      id: '7',
      properties: {},
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-02-01T00:00:00Z',
    });
    expect(r?.createdAt).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(r?.updatedAt).toEqual(new Date('2024-02-01T00:00:00Z'));
  });

  it('rejects a record whose id is not a HubSpot id', () => {
    expect(toContactRecord({ id: 'x1', properties: {} })).toBeNull();
  });
});

describe('toCompanyRecord', () => {
  it('keeps name, domain, industry and owner', () => {
    expect(
      toCompanyRecord({
        id: '9001',
        properties: { name: 'Acme', domain: 'acme.test', industry: 'RETAIL', hubspot_owner_id: null },
      }),
    ).toEqual({
      companyId: '9001',
      name: 'Acme',
      domain: 'acme.test',
      industry: 'RETAIL',
      ownerId: null,
    });
  });
});

describe('parseHubSpotDate', () => {
  it.each([
    ['2026-01-01T00:00:00Z', new Date('2026-01-01T00:00:00Z')],
    ['1767225600000', new Date(1767225600000)],
    ['', null],
    [null, null],
    ['soon', null],
  ] as const)('%s → %s', (input, expected) => {
    expect(parseHubSpotDate(input)).toEqual(expected);
  });
});
