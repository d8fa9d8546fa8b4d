import { storableText } from '../shared';

// CSV cells as spreadsheets read them (RFC 4180 quoting), made safe to open: a cell that starts with =, +, -, @,
// a tab or a carriage return would be run as a formula by Excel, LibreOffice and Google Sheets, so it gets a
// leading apostrophe (OWASP "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;

// Control characters other than tab and line breaks (NUL, ESC, …) and unpaired surrogates are dropped: they are
// not text a spreadsheet can show, and a stray one must never break the download.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = storableText(String(value)).replace(NOT_TEXT, '');
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: Array<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
