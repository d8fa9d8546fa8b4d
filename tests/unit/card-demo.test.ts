import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signedCurl, summariseContactCard } from '../../src/cli/demo/card';
import { verifyHubSpotSignature } from '../../src/shared/signature';
import { promoterCard, emptyCard } from '../card/fixtures';

const config = { publicBaseUrl: 'https://nps.example.com', hubspot: { clientSecret: 'demo-client-secret-0123456789' } };

describe('summariseContactCard', () => {
  it("says in one line what a promoter's card shows", () => {
    const line = summariseContactCard(
      promoterCard({
        surveyStatus: { state: 'quiet_period', quietUntil: '2026-08-08T10:00:00.000Z' },
        canSend: { allowed: true, needsConfirmation: true, code: 'quiet_period' },
      }),
    );
    expect(line).toBe(
      'contact 42: 9 (promoter) on 2026-03-19 · 12 answers, trend 9→9 · 1 open follow-up (Ask for a review, Ada Lovelace, due 2026-04-02) · survey: quiet period until 2026-08-08 · send now: asks to confirm',
    );
  });

  it('says so when a contact has not answered and cannot be emailed', () => {
    const line = summariseContactCard(
      emptyCard({
        surveyStatus: { state: 'skipped', reason: 'opted_out' },
        canSend: { allowed: false, needsConfirmation: false, code: 'opted_out' },
      }),
    );
    expect(line).toBe(
      'contact 42: no current score · no answers yet · no open follow-ups · survey: skipped (opted_out) · send now: disabled (opted_out)',
    );
  });
});

describe('signedCurl', () => {
  /** The arguments a POSIX shell passes to curl for this command (parsed by sh itself, not run). */
  const shellWords = (command: string): string[] => {
    expect(command.startsWith('curl ')).toBe(true);
    const out = execFileSync('sh', ['-c', `set -- ${command.slice('curl '.length)}; printf '%s\\0' "$@"`]).toString();
    return out.split('\0').slice(0, -1);
  };

  it('signs the public URL with a fresh v3 signature that the backend accepts', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const path = '/api/card/contacts/501?portalId=1001&userEmail=ada%40example.com';
    const words = shellWords(signedCurl(config, path, { now }));
    const header = (name: string) => words.find((w) => w.startsWith(`${name}: `))!.slice(name.length + 2);
    expect(words[words.length - 1]).toBe(`https://nps.example.com${path}`);
    const check = verifyHubSpotSignature(
      config.hubspot.clientSecret,
      {
        method: 'GET',
        uri: `https://nps.example.com${path}`,
        rawBody: '',
        headers: {
          'x-hubspot-signature-v3': header('X-HubSpot-Signature-v3'),
          'x-hubspot-request-timestamp': header('X-HubSpot-Request-Timestamp'),
        },
      },
      { now: now.getTime() + 60_000 },
    );
    expect(check).toMatchObject({ ok: true, version: 'v3' });
  });

  it('sends a POST body exactly as signed, to another address when asked', () => {
    const words = shellWords(
      signedCurl(config, '/api/card/contacts/501/responses?portalId=1001', {
        body: { score: 7, comment: "it's fine" },
        targetUrl: 'http://127.0.0.1:3000/',
      }),
    );
    expect(words).toContain('POST');
    expect(words[words.indexOf('--data') + 1]).toBe('{"score":7,"comment":"it\'s fine"}');
    expect(words[words.length - 1]).toBe('http://127.0.0.1:3000/api/card/contacts/501/responses?portalId=1001');
  });
});
