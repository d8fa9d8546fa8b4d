import { z } from 'zod';
import { isStorableText } from '../shared';
import { CsvSyntaxError, parseCsv } from '../responses';
import { LANGUAGES } from '../core';
import { parseTenureBand, UNKNOWN } from './enps.rules';

// The employee list for eNPS (people who are not HubSpot users, or more about those who are). Columns, in any order
// and case: email (required), team, location, tenure (a band: <1y, 1-2y, 2-5y, 5y+), language, first_name. Bad rows
// are reported by line and none of the file is stored until it has none.

export interface Employee {
  email: string;
  firstName: string | null;
  team: string | null;
  location: string | null;
  tenure: string;
  language: string | null;
}

export interface EmployeeCsv {
  rows: number;
  employees: Employee[];
  bad: Array<{ line: number; reason: string }>;
}

type Column = 'email' | 'team' | 'location' | 'tenure' | 'language' | 'firstName';
const HEADERS: Record<string, Column> = {
  email: 'email',
  'e-mail': 'email',
  email_address: 'email',
  team: 'team',
  department: 'team',
  location: 'location',
  office: 'location',
  tenure: 'tenure',
  tenure_band: 'tenure',
  language: 'language',
  first_name: 'firstName',
  firstname: 'firstName',
};

const MAX_ROWS = 20_000;
const email = z.email();

export function parseEmployeeCsv(text: string): EmployeeCsv {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      return { rows: 0, employees: [], bad: [{ line: err.line, reason: err.message }] };
    throw err;
  }
  const [header, ...data] = records;
  if (!header) return { rows: 0, employees: [], bad: [{ line: 1, reason: 'the file is empty' }] };
  const columns = header.fields.map((h) => HEADERS[h.trim().toLowerCase().replace(/\s+/g, '_')]);
  if (!columns.includes('email'))
    return {
      rows: data.length,
      employees: [],
      bad: [{ line: header.line, reason: 'no "email" column in the header' }],
    };
  if (data.length > MAX_ROWS)
    return { rows: data.length, employees: [], bad: [{ line: header.line, reason: `more than ${MAX_ROWS} rows` }] };
  const employees: Employee[] = [];
  const bad: EmployeeCsv['bad'] = [];
  const seen = new Map<string, number>();
  for (const record of data) {
    const value = (c: Column) => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : (record.fields[i] ?? '').trim();
    };
    const problem = rowProblem(record.fields, value, seen);
    if (problem) {
      bad.push({ line: record.line, reason: problem });
      continue;
    }
    const address = value('email').toLowerCase();
    seen.set(address, record.line);
    employees.push({
      email: address,
      firstName: value('firstName') || null,
      team: value('team') || null,
      location: value('location') || null,
      tenure: parseTenureBand(value('tenure')) ?? UNKNOWN,
      language: value('language').toLowerCase() || null,
    });
  }
  return { rows: data.length, employees, bad };
}

function rowProblem(fields: string[], value: (c: Column) => string, seen: Map<string, number>): string | undefined {
  if (!fields.every(isStorableText)) return 'holds a NUL character or an unpaired surrogate';
  const address = value('email');
  if (!address) return 'email is empty';
  if (!email.safeParse(address).success) return `email "${address.slice(0, 100)}" is not an email address`;
  const earlier = seen.get(address.toLowerCase());
  if (earlier !== undefined) return `email ${address} is already on line ${earlier}`;
  if (parseTenureBand(value('tenure')) === undefined)
    return `tenure "${value('tenure').slice(0, 40)}" is not one of <1y, 1-2y, 2-5y, 5y+`;
  const lang = value('language').toLowerCase();
  if (lang && !(LANGUAGES as readonly string[]).includes(lang))
    return `language "${lang.slice(0, 20)}" is not one of ${LANGUAGES.join(', ')}`;
  for (const c of ['team', 'location', 'firstName'] as const)
    if (value(c).length > 100) return `${c === 'firstName' ? 'first_name' : c} is longer than 100 characters`;
  return undefined;
}
