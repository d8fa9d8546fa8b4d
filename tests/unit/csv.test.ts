import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, parseCsv } from '../../src/responses/csv';

describe('CSV reader (RFC 4180)', () => {
  it.each([
    {
      name: 'plain fields',
      text: 'a,b,c\n1,2,3\n',
      want: [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    },
    {
      name: 'CRLF line ends',
      text: 'a,b\r\n1,2\r\n',
      want: [
        ['a', 'b'],
        ['1', '2'],
      ],
    },
    {
      name: 'no final line break',
      text: 'a,b\n1,2',
      want: [
        ['a', 'b'],
        ['1', '2'],
      ],
    },
    { name: 'quoted comma', text: 'x\n"Hello, world"', want: [['x'], ['Hello, world']] },
    { name: 'doubled quotes', text: 'x\n"She said ""wow"""', want: [['x'], ['She said "wow"']] },
    {
      name: 'empty fields',
      text: 'a,b,c\n,,\n',
      want: [
        ['a', 'b', 'c'],
        ['', '', ''],
      ],
    },
    {
      name: 'empty quoted field',
      text: 'a,b\n"",x',
      want: [
        ['a', 'b'],
        ['', 'x'],
      ],
    },
    {
      name: 'byte order mark dropped',
      text: '\uFEFFemail,score\nx@y.z,9',
      want: [
        ['email', 'score'],
        ['x@y.z', '9'],
      ],
    },
    { name: 'blank lines skipped', text: 'a\n\n1\n\n', want: [['a'], ['1']] },
    { name: 'stray quote kept (lenient)', text: 'a\n5" screen', want: [['a'], ['5" screen']] },
    { name: 'unicode', text: 'c\n"Très bien 👍"', want: [['c'], ['Très bien 👍']] },
  ])('$name', ({ text, want }) => {
    expect(parseCsv(text).map((r) => r.fields)).toEqual(want);
  });

  it('keeps line breaks inside quoted fields and numbers records by the line they start on', () => {
    const records = parseCsv('email,score,comment\r\na@x.io,9,"line one\r\nline two"\r\nb@x.io,3,short\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['email', 'score', 'comment'] },
      { line: 2, fields: ['a@x.io', '9', 'line one\r\nline two'] },
      { line: 4, fields: ['b@x.io', '3', 'short'] },
    ]);
  });

  it('counts blank lines when numbering', () => {
    expect(parseCsv('h\n\n\nx').map((r) => r.line)).toEqual([1, 4]);
  });

  it('reads semicolon files (European Excel) when the header has semicolons and no commas', () => {
    expect(detectDelimiter('email;score;comment\n')).toBe(';');
    expect(detectDelimiter('email,score;x\n')).toBe(',');
    expect(parseCsv('email;score;comment\na@x.io;8;"ok; fine"').map((r) => r.fields)).toEqual([
      ['email', 'score', 'comment'],
      ['a@x.io', '8', 'ok; fine'],
    ]);
  });

  it('refuses an unterminated quote and names the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrowError(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"open\n2,3\n');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });
});
