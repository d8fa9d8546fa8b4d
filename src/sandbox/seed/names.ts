/** Name pools for the generated portal. Kept small: variety comes from combining them. */
export type Language = 'en' | 'da' | 'sv' | 'de' | 'fr';

export const FIRST_NAMES: Record<Language, string[]> = {
  en: [
    'Oliver',
    'Amelia',
    'Harry',
    'Isla',
    'Jack',
    'Ava',
    'George',
    'Mia',
    'Noah',
    'Grace',
    'Leo',
    'Chloe',
    'James',
    'Ella',
  ],
  da: ['Mads', 'Freja', 'Søren', 'Ida', 'Rasmus', 'Mathilde', 'Frederik', 'Sofie', 'Anders', 'Line', 'Jesper', 'Maja'],
  sv: ['Erik', 'Astrid', 'Lars', 'Ingrid', 'Johan', 'Elsa', 'Nils', 'Linnea', 'Oskar', 'Saga', 'Gustav', 'Maja'],
  de: ['Lukas', 'Hannah', 'Jonas', 'Lea', 'Felix', 'Lena', 'Maximilian', 'Anna', 'Paul', 'Marie', 'Jürgen', 'Katrin'],
  fr: ['Louis', 'Camille', 'Hugo', 'Léa', 'Gabriel', 'Chloé', 'Arthur', 'Manon', 'Jules', 'Inès', 'Théo', 'Zoé'],
};

export const LAST_NAMES: Record<Language, string[]> = {
  en: [
    'Smith',
    'Jones',
    'Taylor',
    'Brown',
    'Williams',
    'Wilson',
    'Evans',
    'Thomas',
    'Walker',
    'Wright',
    'Hughes',
    'Clarke',
  ],
  da: [
    'Jensen',
    'Nielsen',
    'Hansen',
    'Pedersen',
    'Andersen',
    'Christensen',
    'Larsen',
    'Sørensen',
    'Rasmussen',
    'Madsen',
  ],
  sv: [
    'Andersson',
    'Johansson',
    'Karlsson',
    'Nilsson',
    'Eriksson',
    'Larsson',
    'Olsson',
    'Persson',
    'Lindqvist',
    'Berg',
  ],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'],
};

export const COUNTRIES: Array<{
  country: string;
  language: Language;
  tld: string;
  suffixes: string[];
  weight: number;
}> = [
  { country: 'Denmark', language: 'da', tld: 'dk', suffixes: ['ApS', 'A/S'], weight: 20 },
  { country: 'Sweden', language: 'sv', tld: 'se', suffixes: ['AB'], weight: 20 },
  { country: 'Germany', language: 'de', tld: 'de', suffixes: ['GmbH', 'AG'], weight: 15 },
  { country: 'France', language: 'fr', tld: 'fr', suffixes: ['SAS', 'SARL'], weight: 15 },
  { country: 'United Kingdom', language: 'en', tld: 'co.uk', suffixes: ['Ltd'], weight: 15 },
  { country: 'United States', language: 'en', tld: 'com', suffixes: ['Inc.', 'LLC'], weight: 15 },
];

export const COMPANY_WORDS = [
  'Nordlys',
  'Fjord',
  'Kestrel',
  'Bluebell',
  'Aurora',
  'Granite',
  'Harbour',
  'Lumen',
  'Meridian',
  'Northwind',
  'Oakridge',
  'Polaris',
  'Quarry',
  'Riverstone',
  'Saltmarsh',
  'Tundra',
  'Vinter',
  'Willow',
  'Zephyr',
  'Birch',
  'Copper',
  'Driftwood',
];
export const COMPANY_NOUNS = [
  'Analytics',
  'Logistics',
  'Software',
  'Health',
  'Foods',
  'Motors',
  'Telecom',
  'Consulting',
  'Retail',
  'Builders',
  'Labs',
  'Systems',
  'Media',
  'Energy',
  'Finance',
];
export const JOB_TITLES = [
  'CEO',
  'CFO',
  'Head of Operations',
  'Customer Success Manager',
  'IT Manager',
  'Purchasing Manager',
  'Office Manager',
  'Marketing Director',
  'Product Owner',
  'Account Manager',
];
export const PRODUCTS = [
  'Annual licence',
  'Onboarding package',
  'Premium support',
  'Platform upgrade',
  'Seat expansion',
  'Renewal',
];
export const TICKET_SUBJECTS = [
  'Cannot log in',
  'Invoice question',
  'Export is slow',
  'Feature request: dark mode',
  'Data import failed',
  'Password reset not arriving',
  'Integration stopped syncing',
  'Wrong VAT on invoice',
  'Need more seats',
];

export const OWNER_NAMES: Array<[string, string]> = [
  ['Anna', 'Jensen'],
  ['Erik', 'Lindqvist'],
  ['Sophie', 'Martin'],
  ['Lukas', 'Becker'],
  ['Emma', 'Thompson'],
  ['Oliver', 'Hansen'],
  ['Clara', 'Schmidt'],
  ['Noah', 'Walker'],
];

/** ASCII form for email local parts and domains. */
export function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/å/g, 'a')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
