// CSV cells as spreadsheets read them (RFC 4180 quoting), made safe to open: a cell that starts with =, +, -, @,
// a tab or a carriage return would be run as a formula by Excel, LibreOffice and Google Sheets, so it gets a
// leading apostrophe (OWASP "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: Array<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
