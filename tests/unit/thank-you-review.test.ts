import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsSchema, type Settings } from '../../src/core';
import { reviewLinkPath, reviewSitesOf, reviewTarget } from '../../src/reviews/review-sites';
import { CATALOGUES, SURVEY_LANGUAGES, translator } from '../../src/surveys/i18n';
import { nextStepText, thankYouExtras } from '../../src/surveys/thank-you.view';
import { contactProperties } from '../../src/responses/contact-properties';
import { renderThankYouEmail } from '../../src/surveys/thank-you-email.view';

// The review redirect's target rules, the thank-you page's per-category texts in every catalogue, and what the
// page renders for each category.

const withSites = (sites: Array<{ name: string; url: string }>, reviewUrl?: string): Settings =>
  settingsSchema.parse({ thankYou: { reviewSites: sites }, followUps: reviewUrl ? { reviewUrl } : undefined });

const G2 = { name: 'G2', url: 'https://www.g2.com/products/acme/reviews' };
const TP = { name: 'Trustpilot', url: 'https://www.trustpilot.com/review/acme.example' };

describe('review redirect targets', () => {
  const settings = withSites([G2, TP]);

  it.each([
    ['0', G2],
    ['1', TP],
  ])('position %s leads to the configured site', (site, expected) => {
    expect(reviewTarget(settings, site)).toEqual(expected);
  });

  it.each(['2', '3', '9', '-1', '01', '1.0', ' 1', '', 'G2', 'https://evil.example', '//evil.example', '%2F%2Fevil'])(
    '"%s" is not a target',
    (site) => {
      expect(reviewTarget(settings, site)).toBeNull();
    },
  );

  it('has no target at all when no site is configured', () => {
    expect(reviewSitesOf(defaultSettings())).toEqual([]);
    expect(reviewTarget(defaultSettings(), '0')).toBeNull();
  });

  it('falls back to the single review URL of earlier settings, named by its host', () => {
    const legacy = withSites([], 'https://www.capterra.com/p/1/acme');
    expect(reviewSitesOf(legacy)).toEqual([{ name: 'capterra.com', url: 'https://www.capterra.com/p/1/acme' }]);
    // Configured sites win over the old setting.
    expect(reviewSitesOf(withSites([G2], 'https://www.capterra.com/p/1/acme'))).toEqual([G2]);
  });

  it('refuses http, other schemes and a fourth site in settings', () => {
    const bad = (reviewSites: unknown) => settingsSchema.safeParse({ thankYou: { reviewSites } });
    expect(bad([{ name: 'G2', url: 'http://www.g2.com/x' }]).success).toBe(false);
    expect(bad([{ name: 'G2', url: 'javascript:alert(1)' }]).success).toBe(false);
    expect(bad([{ name: '', url: 'https://www.g2.com/x' }]).success).toBe(false);
    expect(bad([G2, TP, G2]).success).toBe(true);
    const four = bad([G2, TP, G2, TP]);
    expect(four.success).toBe(false);
    expect(four.error?.issues[0]).toMatchObject({
      path: ['thankYou', 'reviewSites'],
      message: 'at most three review sites',
    });
  });

  it('builds the tracked link from the survey token and a position, never from the address', () => {
    expect(reviewLinkPath('abc_-1', 2)).toBe('/r/abc_-1/2');
  });
});

describe('thank-you texts per category', () => {
  it.each(SURVEY_LANGUAGES)('the %s catalogue has its own text for every category and for the review ask', (lang) => {
    const catalogue = CATALOGUES[lang];
    const keys = [
      'thanks.next.detractor',
      'thanks.next.passive',
      'thanks.next.promoter',
      'thanks.review.heading',
      'thanks.review.body',
      'thanks.review.button',
      'thanks.referral.question',
      'thanks.referral.help',
      'thanks.referral.submit',
      'thanks.referral.saved',
      'thanks.referral.tooLong',
    ] as const;
    for (const key of keys) expect(catalogue[key], `${lang} ${key}`).toBeTruthy();
    const t = translator(lang);
    const texts = (['detractor', 'passive', 'promoter'] as const).map((c) => nextStepText(t, c, 'Acme'));
    expect(new Set(texts).size).toBe(3);
    // The detractor is told someone will be in touch, and by whom.
    expect(texts[0]).toContain('Acme');
    if (lang !== 'en') for (const key of keys) expect(catalogue[key]).not.toBe(CATALOGUES.en[key]);
    expect(t('thanks.review.button', { site: 'G2' })).toContain('G2');
  });
});

describe('thank-you extras', () => {
  const t = translator('en');
  const links = [{ name: 'G2 <script>', href: '/r/tok/0' }];

  it('asks only promoters for a review and a referral, escaping every text', () => {
    const promoter = thankYouExtras({
      t,
      brand: 'Acme & Co',
      category: 'promoter',
      reviewLinks: links,
      referral: { action: '/s/tok/referral', value: '<b>Bo</b>', saved: false },
    });
    expect(promoter).toContain('data-category="promoter"');
    expect(promoter).toContain('<a class="button" href="/r/tok/0">Review us on G2 &lt;script&gt;</a>');
    expect(promoter).toContain('Acme &amp; Co');
    expect(promoter).toContain('&lt;b&gt;Bo&lt;/b&gt;</textarea>');
    for (const category of ['passive', 'detractor'] as const) {
      const html = thankYouExtras({ t, brand: 'Acme', category, reviewLinks: links, referral: promoterReferral() });
      expect(html).toContain(`data-category="${category}"`);
      expect(html).not.toContain('/r/tok/0');
      expect(html).not.toContain('referral');
    }
  });

  it('shows nothing extra without an answer, and no review section without sites', () => {
    expect(thankYouExtras({ t, brand: 'Acme', category: null, reviewLinks: links })).toBe('');
    expect(thankYouExtras({ t, brand: 'Acme', category: 'promoter', reviewLinks: [] })).not.toContain('review-ask');
  });
});

describe('nps_review_link_clicked_at', () => {
  it('is the latest click in epoch milliseconds, and empty without one', () => {
    const state = { answers: [], latestInvitationStatus: null, lastSurveySentAt: null, surveyLink: null };
    const now = new Date('2026-03-01T00:00:00Z');
    expect(contactProperties(state, now, 12).nps_review_link_clicked_at).toBe('');
    const at = new Date('2026-02-27T10:00:00Z');
    expect(contactProperties({ ...state, reviewClickedAt: at }, now, 12).nps_review_link_clicked_at).toBe(
      String(at.getTime()),
    );
  });
});

function promoterReferral() {
  return { action: '/s/tok/referral', value: '', saved: false };
}

describe('review sites from a settings form', () => {
  it('drops rows left blank, keeping the filled ones in order', () => {
    const parsed = settingsSchema.parse({
      thankYou: { reviewSites: [{ name: '', url: '' }, G2, {}, null, TP] },
    });
    expect(parsed.thankYou.reviewSites).toEqual([G2, TP]);
  });

  it('names the missing half of a row that is only partly filled', () => {
    const half = settingsSchema.safeParse({ thankYou: { reviewSites: [{ name: 'G2' }] } });
    expect(half.success).toBe(false);
    expect(half.error?.issues[0]?.path).toEqual(['thankYou', 'reviewSites', 0, 'url']);
  });
});

describe('thank-you email', () => {
  const base = {
    brand: { name: 'Acme <b>', color: '#1f5fbf' },
    mailFrom: 'NPS Loop <nps@acme.example>',
    to: { email: 'kim@example.com', firstname: 'Kim' },
    invitationId: '11111111-2222-4333-8444-555555555555',
    reviewLinks: [{ name: 'G2', url: 'https://nps.example/r/tok/0' }],
    unsubscribeLink: 'https://nps.example/s/tok/unsubscribe',
  };

  it('tells a promoter what happens next and asks for a review, in their language, escaped', () => {
    const mail = renderThankYouEmail({ ...base, lang: 'sv', score: 10, category: 'promoter' });
    expect(mail.subject).toBe('Tack för din feedback – Acme <b>');
    expect(mail.text).toContain('Du gav oss 10 av 10.');
    expect(mail.text).toContain('Recensera oss på G2: https://nps.example/r/tok/0');
    expect(mail.html).toContain('teamet på Acme &lt;b&gt;');
    expect(mail.html).toContain('href="https://nps.example/r/tok/0"');
    expect(mail.messageId).toBe('<11111111-2222-4333-8444-555555555555.thanks@acme.example>');
  });

  it('gives a detractor no review links', () => {
    const mail = renderThankYouEmail({ ...base, lang: 'en', score: 3, category: 'detractor' });
    expect(mail.text).toContain('will contact you within a day');
    expect(mail.text).not.toContain('/r/');
    expect(mail.html).not.toContain('/r/');
  });
});
