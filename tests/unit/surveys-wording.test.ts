import { describe, expect, it } from 'vitest';
import { settingsSchema, type SettingsInput } from '../../src/core/settings-schema';
import { missingTranslations, offeredLanguages, resolveWording } from '../../src/surveys/wording';

// The wording resolver (what a respondent reads, in which order of precedence) and the missing-translation check.

const settings = (input: SettingsInput = {}) => settingsSchema.parse(input);

describe('settings schema', () => {
  it('keeps {} and the old one-language rule wording valid', () => {
    expect(settings().wording).toEqual({});
    expect(settings().languages).toBeUndefined();
    const old = settings({
      triggers: [{ id: 'r', objectType: 'deal', stageId: 's', wording: { question: 'Q?', followUpQuestion: 'F?' } }],
    });
    expect(old.triggers[0]!.wording).toEqual({ question: 'Q?', followUpQuestion: 'F?' });
  });

  it('takes languages as a list or as "en, da", and refuses unknown ones naming the field', () => {
    expect(settings({ languages: 'en, da, da' as never }).languages).toEqual(['en', 'da']);
    const bad = settingsSchema.safeParse({ languages: ['en', 'fr'] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['languages', 1]);
    expect(settingsSchema.safeParse({ wording: { fr: { question: 'Q' } } }).success).toBe(false);
    expect(settingsSchema.safeParse({ wording: { da: { nonsense: 'Q' } } }).success).toBe(false);
  });
});

describe('resolveWording', () => {
  it('falls back to the built-in catalogue of the language', () => {
    const w = resolveWording({ settings: settings(), lang: 'da' });
    expect(w.question).toBe('Hvor sandsynligt er det, at du vil anbefale NPS Loop til en ven eller kollega?');
    expect(w.followUpQuestion).toBeNull();
    expect(w.emailSubject).toContain('NPS Loop');
  });

  it('uses the portal wording of the language, {brand} filled in, other languages untouched', () => {
    const s = settings({
      brand: { name: 'Acme' },
      wording: { da: { question: 'Kan du lide {brand}?', thankYou: 'Tak!' } },
    });
    const da = resolveWording({ settings: s, lang: 'da' });
    expect(da.question).toBe('Kan du lide Acme?');
    expect(da.thankYou).toBe('Tak!');
    expect(resolveWording({ settings: s, lang: 'en' }).question).toContain('recommend Acme');
  });

  it('ranks rule per language > invitation text > rule neutral > draft or portal > catalogue', () => {
    const s = settings({
      wording: { en: { question: 'portal' } },
      triggers: [
        { id: 'r', objectType: 'deal', stageId: 's', wording: { question: 'neutral', de: { question: 'regel' } } },
      ],
    });
    expect(resolveWording({ settings: s, lang: 'de', ruleId: 'r', invitation: { question: 'inv' } }).question).toBe(
      'regel',
    );
    expect(resolveWording({ settings: s, lang: 'en', ruleId: 'r', invitation: { question: 'inv' } }).question).toBe(
      'inv',
    );
    expect(resolveWording({ settings: s, lang: 'en', ruleId: 'r' }).question).toBe('neutral');
    expect(resolveWording({ settings: s, lang: 'en' }).question).toBe('portal');
    expect(resolveWording({ settings: s, lang: 'en', draft: { question: 'draft' } }).question).toBe('draft');
    // An emptied draft means the built-in text, not the saved one.
    expect(resolveWording({ settings: s, lang: 'en', draft: {} }).question).toContain('How likely');
  });

  it('offers the default language first, then the others listed', () => {
    expect(offeredLanguages(settings())).toEqual(['en']);
    expect(offeredLanguages(settings({ defaultLanguage: 'sv', languages: ['en', 'sv', 'de'] }))).toEqual([
      'sv',
      'en',
      'de',
    ]);
  });
});

describe('missingTranslations', () => {
  it('names the language and field left empty where another offered language customised it', () => {
    const s = settings({
      languages: ['en', 'da', 'sv'],
      wording: { en: { emailSubject: 'Hi' }, da: { emailSubject: 'Hej' } },
    });
    expect(missingTranslations(s)).toEqual([
      {
        path: ['wording', 'sv', 'emailSubject'],
        message: 'Email subject is missing its Swedish (sv) translation: it is customised in English, Danish',
      },
    ]);
  });

  it('ignores languages not offered, and texts left built-in everywhere', () => {
    expect(missingTranslations(settings({ wording: { en: { question: 'Q' } } }))).toEqual([]);
    // Danish is not offered: its text reaches nobody, so nothing is missing.
    expect(missingTranslations(settings({ languages: ['en', 'de'], wording: { da: { question: 'Q' } } }))).toEqual([]);
    expect(missingTranslations(settings({ languages: ['en', 'de'] }))).toEqual([]);
  });

  it('checks per-language rule wording too', () => {
    const s = settings({
      languages: ['en', 'de'],
      triggers: [{ id: 'won', objectType: 'deal', stageId: 's', wording: { de: { followUpQuestion: 'Warum?' } } }],
    });
    expect(missingTranslations(s)).toEqual([
      {
        path: ['triggers', 0, 'wording', 'en', 'followUpQuestion'],
        message: 'Follow-up question of rule won is missing its English (en) translation: it is customised in German',
      },
    ]);
  });
});
