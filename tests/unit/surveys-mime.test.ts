import { describe, expect, it } from 'vitest';
import { parseMail } from '../../src/surveys/mime';

const CRLF = (lines: string[]) => lines.join('\r\n');

describe('reading a stored mail', () => {
  it.each([
    [
      'quoted-printable with soft line breaks',
      'quoted-printable',
      'Hej S=C3=B8ren, tak for dit sv=\r\nar',
      'Hej Søren, tak for dit svar',
    ],
    ['base64', 'base64', Buffer.from('Grüße aus Köln', 'utf8').toString('base64'), 'Grüße aus Köln'],
    ['7bit', '7bit', 'plain ascii', 'plain ascii'],
  ])('decodes a %s text part', (_what, encoding, body, expected) => {
    const raw = CRLF([
      'Subject: x',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Transfer-Encoding: ${encoding}`,
      '',
      body,
    ]);
    expect(parseMail(raw).text).toBe(expected);
  });

  it('unfolds headers and decodes encoded words', () => {
    const raw = CRLF([
      'Subject: =?UTF-8?Q?P=C3=A5mindelse:_Hvor?=',
      ' =?UTF-8?B?IHNhbmRzeW5saWd0?=',
      'X-Long: one',
      '\ttwo',
      '',
      'body',
    ]);
    const mail = parseMail(raw);
    expect(mail.headers.subject).toBe('Påmindelse: Hvor sandsynligt');
    expect(mail.headers['x-long']).toBe('one\ttwo');
  });

  it('finds the text and HTML parts inside nested multipart bodies and ignores attachments', () => {
    const raw = CRLF([
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'the text',
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>the html</p>',
      '--inner--',
      '--outer',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename=a.txt',
      '',
      'attached',
      '--outer--',
      'epilogue',
    ]);
    const mail = parseMail(raw);
    expect(mail.text).toBe('the text');
    expect(mail.html).toBe('<p>the html</p>');
  });
});
