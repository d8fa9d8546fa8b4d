import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { renderSurveyEmail, type SurveyEmailInput } from '../../src/surveys/email.view';
import { parseMail } from '../../src/surveys/mime';

const INVITATION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const links = Array.from({ length: 11 }, (_, s) => `https://nps.example.com/s/TOKEN?score=${s}`);

function input(overrides: Partial<SurveyEmailInput> = {}): SurveyEmailInput {
  return {
    kind: 'invitation',
    lang: 'en',
    brand: { name: 'Acme', color: '#1f5fbf' },
    mailFrom: 'NPS Loop <nps@acme.example>',
    to: { email: 'ada@example.com', firstname: 'Ada' },
    invitationId: INVITATION,
    scoreLinks: links,
    unsubscribeLink: 'https://nps.example.com/s/TOKEN/unsubscribe',
    expiresAt: new Date('2026-03-31T12:00:00Z'),
    ...overrides,
  };
}

/** The rendered mail as nodemailer would put it on the wire, read back. */
async function onTheWire(mail: ReturnType<typeof renderSurveyEmail>) {
  const transport = createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({ ...mail, date: new Date('2026-03-01T12:00:00Z') });
  return parseMail(info.message as Buffer);
}

describe('survey email', () => {
  it('shows the 0–10 scale as eleven buttons, each opening the page with its score preselected', () => {
    const { html } = renderSurveyEmail(input());
    const hrefs = [...html.matchAll(/<a href="([^"]+)"[^>]*>(\d+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(hrefs).toEqual(links.map((url, s) => [url, String(s)]));
  });

  it('carries the whole survey in the text part too, and the unsubscribe link in both', () => {
    const mail = renderSurveyEmail(input());
    for (const url of links) expect(mail.text).toContain(url);
    expect(mail.text).toContain('https://nps.example.com/s/TOKEN/unsubscribe');
    expect(mail.html).toContain('href="https://nps.example.com/s/TOKEN/unsubscribe"');
    expect(mail.text).toContain('How likely are you to recommend Acme to a friend or colleague?');
  });

  it('offers one-click unsubscribe in the headers', () => {
    expect(renderSurveyEmail(input()).headers).toMatchObject({
      'List-Unsubscribe': '<https://nps.example.com/s/TOKEN/unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it.each([
    ['invitation', `<${INVITATION}.1@acme.example>`],
    ['reminder', `<${INVITATION}.2@acme.example>`],
  ] as const)('gives the %s a Message-ID that is the same every time it is rendered', (kind, id) => {
    expect(renderSurveyEmail(input({ kind })).messageId).toBe(id);
    expect(renderSurveyEmail(input({ kind })).messageId).toBe(id);
  });

  it.each([
    [
      'the brand sender',
      { senderName: 'Acme Support', senderEmail: 'care@acme.example' },
      { name: 'Acme Support', address: 'care@acme.example' },
    ],
    ['the brand name at MAIL_FROM’s address', {}, { name: 'Acme', address: 'nps@acme.example' }],
    [
      'a brand name without line breaks',
      { name: 'Acme\r\nBcc: victim@example.com' },
      { name: 'Acme Bcc: victim@example.com', address: 'nps@acme.example' },
    ],
  ])('sends from %s', (_what, brand, from) => {
    expect(renderSurveyEmail(input({ brand: { name: 'Acme', color: '#1f5fbf', ...brand } })).from).toEqual(from);
  });

  it('escapes HTML in the brand, the name and a custom question', () => {
    const { html } = renderSurveyEmail(
      input({
        brand: { name: '<b>Acme</b>', color: '#1f5fbf' },
        to: { email: 'a@example.com', firstname: '<script>alert(1)</script>' },
        question: 'Rate "us" & <i>them</i>?',
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Acme</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Rate &quot;us&quot; &amp; &lt;i&gt;them&lt;/i&gt;?');
  });

  it('uses the brand colour for the buttons, darkened when white text on it would be unreadable', () => {
    expect(renderSurveyEmail(input()).html).toContain('background:#1f5fbf');
    expect(renderSurveyEmail(input({ brand: { name: 'Acme', color: '#ffeb3b' } })).html).not.toContain(
      'background:#ffeb3b',
    );
  });

  it.each([
    ['en', 'How likely are you to recommend Acme?', 'Not at all likely'],
    ['da', 'Hvor sandsynligt er det, at du vil anbefale Acme?', 'Slet ikke sandsynligt'],
    ['sv', 'Hur troligt är det att du skulle rekommendera Acme?', 'Inte alls troligt'],
    ['de', 'Wie wahrscheinlich ist es, dass Sie Acme weiterempfehlen?', 'Überhaupt nicht wahrscheinlich'],
  ] as const)('writes the whole mail in %s', (lang, subject, low) => {
    const mail = renderSurveyEmail(input({ lang }));
    expect(mail.subject).toBe(subject);
    expect(mail.html).toContain(`lang="${lang}"`);
    expect(mail.text).toContain(low);
  });

  it('asks again with a reminder subject and intro', () => {
    const mail = renderSurveyEmail(input({ kind: 'reminder', lang: 'da' }));
    expect(mail.subject).toBe('Påmindelse: Hvor sandsynligt er det, at du vil anbefale Acme?');
    expect(mail.text).toContain('For nogle dage siden bad vi om din mening.');
  });

  it('greets by first name, or without one', () => {
    expect(renderSurveyEmail(input()).text.startsWith('Hi Ada,')).toBe(true);
    expect(
      renderSurveyEmail(input({ to: { email: 'a@example.com', firstname: null } })).text.startsWith('Hello,'),
    ).toBe(true);
  });

  it('survives the trip through nodemailer: both parts, encoded headers and non-ASCII text intact', async () => {
    const mail = renderSurveyEmail(input({ lang: 'da', to: { email: 'søren@example.com', firstname: 'Søren Ærø' } }));
    const parsed = await onTheWire(mail);
    expect(parsed.headers.subject).toBe(mail.subject);
    expect(parsed.headers['message-id']).toBe(mail.messageId);
    expect(parsed.headers['list-unsubscribe']).toBe('<https://nps.example.com/s/TOKEN/unsubscribe>');
    expect(parsed.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(parsed.text).toContain('Hej Søren Ærø,');
    expect(parsed.html).toContain('Hej Søren Ærø,');
    for (const url of links) expect(parsed.html).toContain(`href="${url}"`);
  });

  it('refuses a scale that is not eleven links long', () => {
    expect(() => renderSurveyEmail(input({ scoreLinks: links.slice(1) }))).toThrow(RangeError);
  });
});
