import { associationType } from '../crm/association-types';
import type { ObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import type { CrmRecord } from '../crm/records';
import { createRng, intBetween, mixSeed, pick, weighted } from '../platform/random';
import {
  COMPANY_NOUNS,
  COMPANY_WORDS,
  COUNTRIES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  OWNER_NAMES,
  PRODUCTS,
  TICKET_SUBJECTS,
  asciiSlug,
  type Language,
} from './names';

/**
 * Generates a realistic portal, deterministic for a (seed, portalId) pair. Records are inserted
 * directly (no validation, no webhook events) so 100,000 contacts take well under a few seconds.
 *
 * Fixed rules, so tests can rely on them: the contact at 0-based position i has no email when
 * i % 100 === 9, and is opted out of all email (`hs_email_optout` = 'true') when i % 50 === 4.
 */
export interface SeedOptions {
  seed?: number;
  contacts?: number;
  companies?: number;
  owners?: number;
  deals?: number;
  tickets?: number;
  tasks?: number;
  /** "Now" for generated dates (default: the time of seeding). */
  referenceTime?: number;
}

export interface SeedReport {
  portalId: number;
  seed: number;
  counts: Record<ObjectType | 'owners', number>;
  owners: Array<{ id: string; email: string; firstName: string; lastName: string }>;
  /** First and last id of each object type (ids are consecutive). */
  idRanges: Partial<Record<ObjectType, { first: string; last: string }>>;
  contactsWithoutEmail: string[];
  optedOutContacts: string[];
}

const DEFAULT_SEED: Required<Omit<SeedOptions, 'referenceTime'>> = {
  seed: 1,
  contacts: 300,
  companies: 50,
  owners: 8,
  deals: 80,
  tickets: 40,
  tasks: 0,
};

const DAY = 86_400_000;
/** HubSpot teams the seeded users belong to, in turn (ids in HubSpot's numeric format). */
const SEED_TEAMS = [
  { id: '4100001', name: 'Sales' },
  { id: '4100002', name: 'Support' },
  { id: '4100003', name: 'Customer Success' },
];

export function seedPortal(portal: Portal, options: SeedOptions = {}): SeedReport {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SeedOptions;
  const o = { ...DEFAULT_SEED, ...given };
  const now = options.referenceTime ?? Date.now();
  const rng = createRng(mixSeed(o.seed, portal.portalId));
  const insert = (type: ObjectType, properties: Record<string, string>, createdAt: number): CrmRecord => {
    const record = {
      id: portal.tables[type].allocateId(),
      properties,
      createdAt,
      updatedAt: createdAt + intBetween(rng, 0, 20) * DAY,
      archived: false,
    };
    portal.tables[type].insert(record);
    return record;
  };
  const link = (fromType: ObjectType, fromId: number, toType: ObjectType, toId: number, typeId: number) =>
    portal.associations.add(fromType, fromId, toType, toId, associationType(fromType, toType, typeId)!);
  const created = () => now - intBetween(rng, 30, 900) * DAY - intBetween(rng, 0, DAY);

  for (let i = 0; i < o.owners; i++) {
    const [firstName, lastName] = OWNER_NAMES[i] ?? [pick(rng, FIRST_NAMES.en), `${pick(rng, LAST_NAMES.en)}${i}`];
    portal.addOwner({
      id: String(70_000_001 + i),
      userId: 9_000_001 + i,
      firstName,
      lastName,
      createdAt: now - 1000 * DAY,
      archived: false,
      teams: [SEED_TEAMS[i % SEED_TEAMS.length]!],
      email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}${i >= OWNER_NAMES.length ? i : ''}@portal${portal.portalId}.example.com`,
    });
  }
  const ownerIds = portal.owners.map((owner) => owner.id);
  const ownerFor = () => (ownerIds.length ? pick(rng, ownerIds) : undefined);

  const domains = new Set<string>();
  const companies = Array.from({ length: o.companies }, () => {
    const place = weighted(
      rng,
      COUNTRIES.map((c) => [c, c.weight] as const),
    );
    const base = `${pick(rng, COMPANY_WORDS)} ${pick(rng, COMPANY_NOUNS)}`;
    let domain = `${asciiSlug(base)}.${place.tld}`;
    for (let n = 2; domains.has(domain); n++) domain = `${asciiSlug(base)}-${n}.${place.tld}`;
    domains.add(domain);
    const owner = ownerFor();
    const record = insert(
      'companies',
      compact({
        name: `${base} ${pick(rng, place.suffixes)}`,
        domain,
        country: place.country,
        hubspot_owner_id: owner,
        industry: pick(rng, [
          'COMPUTER_SOFTWARE',
          'INFORMATION_TECHNOLOGY_AND_SERVICES',
          'MARKETING_AND_ADVERTISING',
          'FINANCIAL_SERVICES',
          'HOSPITAL_HEALTH_CARE',
          'RETAIL',
          'LOGISTICS_AND_SUPPLY_CHAIN',
          'CONSTRUCTION',
          'EDUCATION_MANAGEMENT',
          'FOOD_BEVERAGES',
          'AUTOMOTIVE',
          'TELECOMMUNICATIONS',
        ]),
        numberofemployees: String(intBetween(rng, 5, 2000)),
      }),
      created(),
    );
    return { record, language: place.language, domain, owner };
  });

  const contactsWithoutEmail: string[] = [];
  const optedOutContacts: string[] = [];
  const contacts: Array<{ record: CrmRecord; companyId?: number }> = [];
  for (let i = 0; i < o.contacts; i++) {
    const company = companies.length ? companies[Math.floor(rng() * companies.length)] : undefined;
    const language: Language = company && rng() < 0.85 ? company.language : 'en';
    const firstName = pick(rng, FIRST_NAMES[language]);
    const lastName = pick(rng, LAST_NAMES[language]);
    const hasEmail = i % 100 !== 9;
    const properties = compact({
      email: hasEmail
        ? `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${i + 1}@${company?.domain ?? 'example.com'}`
        : undefined,
      firstname: firstName,
      lastname: lastName,
      hs_language: language,
      lifecyclestage: weighted(rng, [
        ['customer', 75],
        ['opportunity', 10],
        ['lead', 8],
        ['subscriber', 4],
        ['evangelist', 3],
      ] as const),
      hubspot_owner_id: company?.owner && rng() < 0.7 ? company.owner : ownerFor(),
      jobtitle: pick(rng, JOB_TITLES),
      company: company?.record.properties.name,
      associatedcompanyid: company ? String(company.record.id) : undefined,
      hs_email_optout: i % 50 === 4 ? 'true' : undefined,
    });
    const record = insert('contacts', properties, created());
    if (properties.email) portal.emailIndex.set(properties.email, record.id);
    else contactsWithoutEmail.push(String(record.id));
    if (properties.hs_email_optout) optedOutContacts.push(String(record.id));
    if (company) {
      link('contacts', record.id, 'companies', company.record.id, 1);
      link('contacts', record.id, 'companies', company.record.id, 279);
    }
    contacts.push({ record, companyId: company?.record.id });
  }

  const dealStages: Record<string, ReadonlyArray<readonly [string, number]>> = {
    default: [
      ['appointmentscheduled', 15],
      ['qualifiedtobuy', 15],
      ['presentationscheduled', 10],
      ['decisionmakerboughtin', 10],
      ['contractsent', 10],
      ['closedwon', 25],
      ['closedlost', 15],
    ],
    '87654321': [
      ['87654322', 30],
      ['87654323', 25],
      ['87654324', 30],
      ['87654325', 15],
    ],
  };
  for (let i = 0; i < o.deals && contacts.length > 0; i++) {
    const contact = pick(rng, contacts);
    const pipeline = rng() < 0.75 ? 'default' : '87654321';
    const companyName = contact.record.properties.company ?? `${contact.record.properties.lastname} household`;
    const deal = insert(
      'deals',
      compact({
        dealname: `${companyName} – ${pick(rng, PRODUCTS)}`,
        pipeline,
        dealstage: weighted(rng, dealStages[pipeline]!),
        amount: String(intBetween(rng, 10, 500) * 100),
        closedate: new Date(now + intBetween(rng, -120, 90) * DAY).toISOString(),
        hubspot_owner_id: contact.record.properties.hubspot_owner_id,
      }),
      created(),
    );
    link('deals', deal.id, 'contacts', contact.record.id, 3);
    if (contact.companyId) {
      link('deals', deal.id, 'companies', contact.companyId, 5);
      link('deals', deal.id, 'companies', contact.companyId, 341);
    }
  }

  for (let i = 0; i < o.tickets && contacts.length > 0; i++) {
    const contact = pick(rng, contacts);
    const subject = pick(rng, TICKET_SUBJECTS);
    const ticket = insert(
      'tickets',
      compact({
        subject,
        content: `${contact.record.properties.firstname} wrote: ${subject.toLowerCase()}.`,
        hs_pipeline: '0',
        hs_pipeline_stage: weighted(rng, [
          ['1', 30],
          ['2', 20],
          ['3', 20],
          ['4', 30],
        ] as const),
        hs_ticket_priority: weighted(rng, [
          ['LOW', 4],
          ['MEDIUM', 4],
          ['HIGH', 2],
        ] as const),
        hubspot_owner_id: contact.record.properties.hubspot_owner_id,
      }),
      created(),
    );
    link('tickets', ticket.id, 'contacts', contact.record.id, 16);
    if (contact.companyId) {
      link('tickets', ticket.id, 'companies', contact.companyId, 26);
      link('tickets', ticket.id, 'companies', contact.companyId, 339);
    }
  }

  for (let i = 0; i < o.tasks && contacts.length > 0; i++) {
    const contact = pick(rng, contacts);
    const task = insert(
      'tasks',
      compact({
        hs_timestamp: new Date(now + intBetween(rng, -10, 20) * DAY).toISOString(),
        hs_task_subject: `Follow up with ${contact.record.properties.firstname} ${contact.record.properties.lastname}`,
        hs_task_status: weighted(rng, [
          ['NOT_STARTED', 6],
          ['COMPLETED', 4],
        ] as const),
        hs_task_priority: pick(rng, ['LOW', 'MEDIUM', 'HIGH']),
        hs_task_type: pick(rng, ['TODO', 'CALL', 'EMAIL']),
        hubspot_owner_id: contact.record.properties.hubspot_owner_id,
      }),
      created(),
    );
    link('tasks', task.id, 'contacts', contact.record.id, 204);
  }

  return report(portal, o.seed, contactsWithoutEmail, optedOutContacts);
}

function report(portal: Portal, seed: number, contactsWithoutEmail: string[], optedOutContacts: string[]): SeedReport {
  const counts = portal.counts();
  const idRanges: SeedReport['idRanges'] = {};
  for (const type of ['contacts', 'companies', 'deals', 'tickets', 'tasks'] as const) {
    const ids = [...portal.tables[type].all()].map((r) => r.id);
    if (ids.length) idRanges[type] = { first: String(ids[0]), last: String(ids[ids.length - 1]) };
  }
  return {
    portalId: portal.portalId,
    seed,
    counts: {
      contacts: counts.contacts,
      companies: counts.companies,
      deals: counts.deals,
      tickets: counts.tickets,
      tasks: counts.tasks,
      owners: counts.owners,
    },
    owners: portal.owners.map(({ id, email, firstName, lastName }) => ({ id, email, firstName, lastName })),
    idRanges,
    contactsWithoutEmail,
    optedOutContacts,
  };
}

/** Drops undefined values (records only hold properties that are set). */
function compact(values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
