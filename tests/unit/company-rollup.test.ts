import { describe, expect, it } from 'vitest';
import { companyCounts, companyProperties, companySummary, type CompanyAnswer } from '../../src/responses/company-nps';

const NOW = new Date('2025-06-15T00:00:00Z');
let contactSeq = 0;
const answer = (
  companyId: number,
  score: number,
  answeredAt = '2025-05-01T00:00:00Z',
  contactId = ++contactSeq,
): CompanyAnswer => ({
  companyId,
  contactId,
  score,
  answeredAt: new Date(answeredAt),
  updatedAt: new Date(answeredAt),
});

/** Independent reference: NPS and 95% margin from first principles, no shared code. */
function reference(p: number, m: number, d: number) {
  const n = p + m + d;
  const nps = ((p - d) / n) * 100;
  const mean = (p - d) / n;
  const variance = (p * (1 - mean) ** 2 + m * (0 - mean) ** 2 + d * (-1 - mean) ** 2) / n;
  const margin = 1.96 * Math.sqrt(variance / n) * 100;
  return { nps, margin };
}

describe('company NPS rollup', () => {
  it.each([
    { p: 5, m: 2, d: 3 },
    { p: 12, m: 0, d: 1 },
    { p: 1, m: 7, d: 9 },
    { p: 40, m: 25, d: 35 },
  ])('$p promoters, $m passives, $d detractors give the NPS and margin computed independently', ({ p, m, d }) => {
    const rows = [
      ...Array.from({ length: p }, () => answer(7, 10)),
      ...Array.from({ length: m }, () => answer(7, 8)),
      ...Array.from({ length: d }, () => answer(7, 4)),
    ];
    const props = companyProperties(companySummary(companyCounts(rows, NOW, 12).get(7)));
    const want = reference(p, m, d);
    expect(Number(props.nps_company_score)).toBeCloseTo(want.nps, 0);
    expect(Math.abs(Number(props.nps_company_score) - want.nps)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(Number(props.nps_company_margin) - want.margin)).toBeLessThanOrEqual(0.1);
    expect(props).toMatchObject({
      nps_company_respondents: String(p + m + d),
      nps_company_promoters: String(p),
      nps_company_passives: String(m),
      nps_company_detractors: String(d),
    });
  });

  it('counts each contact once, by their latest answer', () => {
    const rows = [
      answer(1, 2, '2025-01-01T00:00:00Z', 100),
      answer(1, 10, '2025-04-01T00:00:00Z', 100),
      answer(1, 9, '2025-02-01T00:00:00Z', 101),
    ];
    expect(companyCounts(rows, NOW, 12).get(1)).toEqual({ promoters: 2, passives: 0, detractors: 0 });
  });

  it('leaves out contacts whose latest answer expired, even if an older one would not have', () => {
    const rows = [
      answer(1, 10, '2023-01-01T00:00:00Z', 200),
      answer(1, 0, '2024-01-01T00:00:00Z', 200),
      answer(1, 7, '2025-06-01T00:00:00Z', 201),
    ];
    expect(companyCounts(rows, NOW, 12).get(1)).toEqual({ promoters: 0, passives: 1, detractors: 0 });
  });

  it('keeps companies apart', () => {
    const counts = companyCounts([answer(1, 10), answer(2, 0), answer(2, 1)], NOW, 12);
    expect(counts.get(1)).toEqual({ promoters: 1, passives: 0, detractors: 0 });
    expect(counts.get(2)).toEqual({ promoters: 0, passives: 0, detractors: 2 });
  });

  it('a company with no current answers gets its score and margin cleared and zero counts', () => {
    expect(companyProperties(companySummary(undefined))).toEqual({
      nps_company_score: '',
      nps_company_margin: '',
      nps_company_respondents: '0',
      nps_company_promoters: '0',
      nps_company_passives: '0',
      nps_company_detractors: '0',
      nps_company_trend: '',
      nps_company_at_risk_contacts: '0',
    });
  });

  it('one respondent has a score but no margin of error', () => {
    const props = companyProperties(companySummary(companyCounts([answer(3, 9)], NOW, 12).get(3)));
    expect(props.nps_company_score).toBe('100');
    expect(props.nps_company_margin).toBe('');
  });
});
