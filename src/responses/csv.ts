// A small RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line
// ends; a UTF-8 byte order mark (Excel adds one) is dropped. A file whose header has semicolons and no commas is
// read with ";" (Excel's export in many European locales). Each record carries the line it starts on, so an
// import report can point at it.

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export function detectDelimiter(text: string): ',' | ';' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
}

/** Parses CSV text into records; blank lines are skipped. Throws CsvSyntaxError on an unterminated quote. */
export function parseCsv(
  input: string,
  delimiter: ',' | ';' = detectDelimiter(input.replace(/^\uFEFF/, '')),
): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    // A blank line is one empty field; skip it rather than report a row with every column missing.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      // Lenient like spreadsheets: a stray quote inside an unquoted field, or text after a closing quote, is kept.
      field += ch;
    }
    i++;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, `line ${quoteLine}: a quoted field is never closed (missing ")`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
