import type { Db, Queryable } from '../storage';
import type { Employee } from './employees.csv';

// The uploaded employee list: an upload replaces the whole list (what HR exported is the list).

export async function replaceEmployees(db: Db, portalId: number, employees: Employee[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM enps_employees WHERE portal_id = $1`, [portalId]);
    if (employees.length === 0) return;
    await tx.query(
      `INSERT INTO enps_employees (portal_id, email, first_name, team, location, tenure, language)
       SELECT $1, e.email, e.first_name, e.team, e.location, e.tenure, e.language
         FROM jsonb_to_recordset($2::jsonb) AS e(email text, first_name text, team text, location text, tenure text, language text)`,
      [
        portalId,
        JSON.stringify(
          employees.map((e) => ({
            email: e.email,
            first_name: e.firstName,
            team: e.team,
            location: e.location,
            tenure: e.tenure,
            language: e.language,
          })),
        ),
      ],
    );
  });
}

export async function listEmployees(db: Queryable, portalId: number): Promise<Employee[]> {
  const r = await db.query<{
    email: string;
    first_name: string | null;
    team: string | null;
    location: string | null;
    tenure: string;
    language: string | null;
  }>(
    `SELECT email, first_name, team, location, tenure, language FROM enps_employees WHERE portal_id = $1 ORDER BY email`,
    [portalId],
  );
  return r.rows.map((x) => ({
    email: x.email,
    firstName: x.first_name,
    team: x.team,
    location: x.location,
    tenure: x.tenure,
    language: x.language,
  }));
}
