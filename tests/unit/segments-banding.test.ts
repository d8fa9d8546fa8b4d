import { describe, expect, it } from 'vitest';
import {
  bandLabels,
  bandOf,
  dimensionName,
  dimensionProblem,
  dimensionSignature,
  kindOf,
  segmentValueOf,
} from '../../src/segments/banding';
import { settingsSchema } from '../../src/core';
import type { PropertyDefinition } from '../../src/hubspot';

const property = (over: Partial<PropertyDefinition>): PropertyDefinition => ({
  name: 'p',
  label: 'P',
  type: 'string',
  fieldType: 'text',
  groupName: 'g',
  ...over,
});

describe('number bands', () => {
  it('names the bands of ascending boundaries', () => {
    expect(bandLabels([10, 50])).toEqual(['Under 10', '10 to under 50', '50 or more']);
    expect(bandLabels([0])).toEqual(['Under 0', '0 or more']);
  });

  it.each([
    [-3, 'Under 10'],
    [9.99, 'Under 10'],
    [10, '10 to under 50'],
    [49, '10 to under 50'],
    [50, '50 or more'],
    [1e9, '50 or more'],
  ])('%s → %s', (value, band) => {
    expect(bandOf(value, [10, 50])).toBe(band);
  });
});

describe('segment values of property values', () => {
  it('keeps enumeration and string values (trimmed, at most 200 characters); empty is unknown', () => {
    expect(segmentValueOf('enumeration', ' Gold ', undefined)).toEqual({ value: 'Gold', since: null });
    expect(segmentValueOf('string', 'x'.repeat(300), undefined)?.value).toHaveLength(200);
    expect(segmentValueOf('string', '   ', undefined)).toBeNull();
    expect(segmentValueOf('string', null, undefined)).toBeNull();
  });

  it('bands numbers, and treats a non-number as unknown', () => {
    expect(segmentValueOf('number', '120', [100, 1000])).toEqual({ value: '100 to under 1000', since: null });
    expect(segmentValueOf('number', 'many', [100])).toBeNull();
  });

  it('keeps dates (ISO, date-only, epoch milliseconds) for banding against each answer', () => {
    expect(segmentValueOf('date', '2026-03-01', undefined)?.since?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(segmentValueOf('date', '1767225600000', undefined)?.since?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(segmentValueOf('date', 'soon', undefined)).toBeNull();
  });
});

describe('which properties can be dimensions', () => {
  it('maps HubSpot property types to dimension kinds', () => {
    expect(
      ['enumeration', 'bool', 'number', 'date', 'datetime', 'string', 'phone_number'].map((type) =>
        kindOf({ type: type as PropertyDefinition['type'] }),
      ),
    ).toEqual(['enumeration', 'enumeration', 'number', 'date', 'date', 'string', 'string']);
  });

  it('needs bands for numbers and only for numbers, and at most 200 visible options', () => {
    const d = { object: 'contact' as const, property: 'p' };
    expect(dimensionProblem(d, property({ type: 'number' }))).toContain('give it bands');
    expect(dimensionProblem({ ...d, bands: [1] }, property({ type: 'number' }))).toBeNull();
    expect(dimensionProblem({ ...d, bands: [1] }, property({ type: 'string' }))).toContain('numbers only');
    const options = (n: number, hidden = false) =>
      Array.from({ length: n }, (_, i) => ({ label: `o${i}`, value: `o${i}`, hidden }));
    expect(dimensionProblem(d, property({ type: 'enumeration', options: options(201) }))).toContain('201 options');
    expect(
      dimensionProblem(d, property({ type: 'enumeration', options: [...options(200), ...options(5, true)] })),
    ).toBeNull();
  });

  it('names dimensions by object and property; only bands change the stored values', () => {
    expect(dimensionName({ object: 'company', property: 'tier' })).toBe('company.tier');
    const a = dimensionSignature({ object: 'contact', property: 'x', label: 'One' });
    expect(dimensionSignature({ object: 'contact', property: 'x', label: 'Two' })).toBe(a);
    expect(dimensionSignature({ object: 'contact', property: 'x', bands: [1] })).not.toBe(a);
  });
});

describe('the segments settings', () => {
  const parse = (segments: unknown) => settingsSchema.safeParse({ segments });

  it('defaults to no custom dimensions', () => {
    expect(settingsSchema.parse({}).segments).toEqual({ dimensions: [] });
  });

  it.each([
    [{ dimensions: [{ object: 'contact', property: 'Plan Tier' }] }, 'a HubSpot property name'],
    [{ dimensions: [{ object: 'contact', property: 'x', bands: [3, 3] }] }, 'bands must be ascending'],
    [
      {
        dimensions: [
          { object: 'contact', property: 'x' },
          { object: 'contact', property: 'x' },
        ],
      },
      'each property can be a dimension once',
    ],
    [{ dimensions: Array.from({ length: 6 }, (_, i) => ({ object: 'contact', property: `p${i}` })) }, 'at most 5'],
  ])('refuses %j', (segments, message) => {
    const r = parse(segments);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(message);
  });

  it('accepts the same property on contacts and companies', () => {
    const r = parse({
      dimensions: [
        { object: 'contact', property: 'tier' },
        { object: 'company', property: 'tier' },
      ],
    });
    expect(r.success).toBe(true);
  });
});
