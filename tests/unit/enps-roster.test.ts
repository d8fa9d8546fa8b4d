import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../src/core/settings-schema';
import { buildRoster, teamsOf } from '../../src/enps/roster';
import { parseEmployeeCsv } from '../../src/enps/employees.csv';
import { renderEnpsEmail } from '../../src/enps/email.view';
import { enpsCsv } from '../../src/enps/export';
import { enpsSettingsSection } from '../../src/enps/settings.section';
import type { Owner } from '../../src/hubspot';

// Who is asked (HubSpot users by team, plus the uploaded list), the employee CSV's errors by line, the eNPS
// settings' limits, and what the mail and the export may contain.

const sales = { id: '11', name: 'Sales', primary: true };
const support = { id: '12', name: 'Support', primary: true };
const owners: Owner[] = [
  { id: '1', email: 'Ann@Acme.test', firstName: 'Ann', teams: [sales] },
  { id: '2', email: 'bo@acme.test', teams: [support] },
  { id: '3', email: '', teams: [sales] },
  { id: '4', email: 'cy@acme.test' },
];

describe('the roster', () => {
  it('asks every active user with an email when no team is chosen, in the portal language', () => {
    const settings = settingsSchema.parse({ defaultLanguage: 'da' });
    const roster = buildRoster(owners, [], settings);
    expect(roster.map((p) => [p.email, p.team, p.language])).toEqual([
      ['ann@acme.test', 'Sales', 'da'],
      ['bo@acme.test', 'Support', 'da'],
      ['cy@acme.test', 'unknown', 'da'],
    ]);
  });

  it('asks only the chosen teams, adds the uploaded list, and lets the list describe people on both', () => {
    const settings = settingsSchema.parse({ enps: { teams: { '11': true, '12': false } } });
    const employees = parseEmployeeCsv(
      'email,team,location,tenure,language\nann@acme.test,Field sales,Oslo,2-5y,sv\nnew@acme.test,IT,,<1y,\n',
    ).employees;
    const roster = buildRoster(owners, employees, settings);
    expect(roster).toEqual([
      {
        email: 'ann@acme.test',
        firstName: 'Ann',
        language: 'sv',
        team: 'Field sales',
        tenure: '2-5y',
        location: 'Oslo',
      },
      { email: 'new@acme.test', firstName: null, language: 'en', team: 'IT', tenure: '<1y', location: 'unknown' },
    ]);
  });

  it('lists the HubSpot teams with their sizes', () => {
    expect(teamsOf(owners)).toEqual([
      { id: '11', name: 'Sales', members: 2 },
      { id: '12', name: 'Support', members: 1 },
    ]);
  });
});

describe('the employee CSV', () => {
  it('reports each bad row by its line, including rows after a quoted line break', () => {
    const csv =
      'Email;Team;Tenure\n"a@x.test";"Sales\nEMEA";1-2y\nb@x;Sales;\n;IT;\nc@x.test;IT;forever\nc@x.test;IT;\nd@x.test;IT;\nC@x.test;IT;\n';
    const r = parseEmployeeCsv(csv);
    expect(r.rows).toBe(7);
    expect(r.bad).toEqual([
      { line: 4, reason: 'email "b@x" is not an email address' },
      { line: 5, reason: 'email is empty' },
      { line: 6, reason: 'tenure "forever" is not one of <1y, 1-2y, 2-5y, 5y+' },
      { line: 9, reason: 'email C@x.test is already on line 7' },
    ]);
    expect(r.employees.map((e) => [e.email, e.team])).toEqual([
      ['a@x.test', 'Sales\nEMEA'],
      ['c@x.test', 'IT'],
      ['d@x.test', 'IT'],
    ]);
  });

  it('refuses a file without an email column, naming the header line', () => {
    expect(parseEmployeeCsv('name,team\nAnn,Sales\n').bad).toEqual([
      { line: 1, reason: 'no "email" column in the header' },
    ]);
  });
});

describe('eNPS settings', () => {
  it('never accept a threshold below 3', () => {
    const r = settingsSchema.safeParse({ enps: { minGroupSize: 2 } });
    expect(r.success).toBe(false);
    expect(settingsSchema.parse({}).enps).toMatchObject({ minGroupSize: 5, cadence: 'quarterly', enabled: false });
  });

  it('refuse a reminder that would come after the wave closed, naming the field', async () => {
    const late = settingsSchema.parse({ enps: { openDays: 14, reminderAfterDays: 20 } });
    expect(await enpsSettingsSection.validate!({} as never, late)).toEqual([
      { path: ['enps', 'reminderAfterDays'], message: 'must be fewer than the 14 days a wave stays open' },
    ]);
    expect(await enpsSettingsSection.validate!({} as never, settingsSchema.parse({}))).toEqual([]);
  });
});

describe('mail and export', () => {
  it('mail carries the link and no one else', () => {
    const mail = renderEnpsEmail({
      kind: 'invite',
      lang: 'en',
      company: 'Acme <b>',
      from: { name: 'People\nteam', address: 'people@acme.test' },
      to: { email: 'ann@acme.test', firstName: 'Ann' },
      question: 'How likely…?',
      link: 'https://nps.test/e/abc',
      closesOn: '2026-03-16',
      messageKey: 'inv-1.invite',
    });
    expect(mail.from.name).toBe('People team');
    expect(mail.html).toContain('Acme &lt;b&gt;');
    expect(mail.text).toContain('https://nps.test/e/abc');
    expect(mail.text).toContain('anonymous');
  });

  it('export has only aggregate rows, and neutralises spreadsheet formulas in group names', () => {
    const summary = { n: 5, nps: 20, marginOfError: 50, promoters: 2, passives: 2, detractors: 1, tooFew: true };
    const csv = enpsCsv([
      {
        wave: { opensOn: '2026-03-02', closesOn: '2026-03-16', breakdown: 'team' } as never,
        threshold: 5,
        total: summary,
        histogram: null,
        groups: [{ key: '=HYPERLINK("x")', summary }],
        other: null,
        merged: 0,
        comments: ['secret words'],
        custom: [],
      },
    ]);
    expect(csv.split('\r\n')[2]).toBe(`2026-03-02,2026-03-16,team,"'=HYPERLINK(""x"")",5,2,2,1,20,50`);
    expect(csv).not.toContain('secret');
  });
});
