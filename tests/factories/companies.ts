import { saveCompanies } from '../../src/contacts/contacts.repo';
import type { CompanyRecord } from '../../src/contacts/properties';
import type { Queryable } from '../../src/storage/db';

// Companies enter the mirror through the product's upsert (saveCompanies).

export interface Company extends CompanyRecord {
  portalId: number;
}

export interface CompanyOverrides extends Partial<Omit<CompanyRecord, 'companyId'>> {
  companyId?: string | number;
}

let nextCompanyId = 6_000_001;

export async function aCompany(db: Queryable, portalId: number, overrides: CompanyOverrides = {}): Promise<Company> {
  const record: CompanyRecord = {
    companyId: String(overrides.companyId ?? nextCompanyId++),
    name: overrides.name ?? null,
    domain: overrides.domain ?? null,
    industry: overrides.industry ?? null,
    ownerId: overrides.ownerId ?? null,
  };
  await saveCompanies(db, portalId, [record]);
  return { ...record, portalId };
}
