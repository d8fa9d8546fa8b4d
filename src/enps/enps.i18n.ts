import type { SurveyLanguage } from '../surveys';

// Every word an employee reads, per language; English is the fallback. Placeholders are written {name}.

const en = {
  question: 'How likely are you to recommend working at {company} to a friend?',
  why: 'What is the main reason for your score?',
  optional: '(optional)',
  scaleLow: 'Not at all likely',
  scaleHigh: 'Extremely likely',
  scoreLegend: 'Choose a score from 0 to 10',
  submit: 'Send my answer',
  anonymity:
    'Your answer is anonymous: it is stored without your name or email, and results are only shown for groups of at least {k} people. What you write in your own words could still identify you.',
  anonymousShort: 'Your answer is anonymous: it is stored without your name or email.',
  subject: 'How is it to work at {company}? (anonymous, 1 minute)',
  reminderSubject: 'Reminder: your anonymous answer about working at {company}',
  greeting: 'Hi {name},',
  greetingNoName: 'Hi,',
  intro: 'We ask everyone at {company} one question each quarter. Your answer is anonymous.',
  reminderIntro: 'If you have not answered yet, there is still time: the survey closes on {date}.',
  link: 'Answer here: {url}',
  closes: 'The survey closes on {date}.',
  thanks: 'Thank you. Your answer is saved, anonymously. You can change it with the same link until {date}.',
  thanksTitle: 'Thank you',
  changed: 'Your answer was replaced.',
  gone: 'This survey has closed. Thank you for taking part.',
  goneTitle: 'Survey closed',
  notFound: 'This link is not valid. Please use the newest link from your email.',
  notFoundTitle: 'Link not valid',
  usedOtherTitle: 'Already answered',
  usedOther:
    'You already answered with the link from your other email. Use that link to change your answer: to stay anonymous, the two links cannot be connected.',
  scoreRequired: 'Choose a score from 0 to 10.',
  tooLong: 'Please keep this under 5,000 characters.',
  errorTitle: 'There is a problem',
};
type EnpsMessage = keyof typeof en;

const da: Partial<Record<EnpsMessage, string>> = {
  question: 'Hvor sandsynligt er det, at du vil anbefale {company} som arbejdsplads til en ven?',
  why: 'Hvad er hovedårsagen til din score?',
  optional: '(valgfrit)',
  scaleLow: 'Slet ikke sandsynligt',
  scaleHigh: 'Meget sandsynligt',
  scoreLegend: 'Vælg en score fra 0 til 10',
  submit: 'Send mit svar',
  subject: 'Hvordan er det at arbejde hos {company}? (anonymt, 1 minut)',
  reminderSubject: 'Påmindelse: dit anonyme svar om {company}',
  greeting: 'Hej {name},',
  greetingNoName: 'Hej,',
  intro: 'Vi stiller alle hos {company} ét spørgsmål hvert kvartal. Dit svar er anonymt.',
  thanksTitle: 'Tak',
  goneTitle: 'Undersøgelsen er lukket',
};
const sv: Partial<Record<EnpsMessage, string>> = {
  question: 'Hur troligt är det att du skulle rekommendera {company} som arbetsplats till en vän?',
  why: 'Vad är huvudskälet till ditt betyg?',
  optional: '(valfritt)',
  scaleLow: 'Inte alls troligt',
  scaleHigh: 'Mycket troligt',
  scoreLegend: 'Välj ett betyg från 0 till 10',
  submit: 'Skicka mitt svar',
  subject: 'Hur är det att arbeta på {company}? (anonymt, 1 minut)',
  greeting: 'Hej {name},',
  greetingNoName: 'Hej,',
  thanksTitle: 'Tack',
};
const de: Partial<Record<EnpsMessage, string>> = {
  question: 'Wie wahrscheinlich ist es, dass Sie {company} einem Freund als Arbeitgeber empfehlen?',
  why: 'Was ist der wichtigste Grund für Ihre Bewertung?',
  optional: '(optional)',
  scaleLow: 'Überhaupt nicht wahrscheinlich',
  scaleHigh: 'Äußerst wahrscheinlich',
  scoreLegend: 'Wählen Sie einen Wert von 0 bis 10',
  submit: 'Antwort senden',
  subject: 'Wie ist die Arbeit bei {company}? (anonym, 1 Minute)',
  greeting: 'Hallo {name},',
  greetingNoName: 'Hallo,',
  thanksTitle: 'Vielen Dank',
};

const CATALOGUES: Record<SurveyLanguage, Partial<Record<EnpsMessage, string>>> = { en, da, sv, de };

export type EnpsTranslate = (key: EnpsMessage, vars?: Record<string, string | number>) => string;

export function enpsTranslator(lang: SurveyLanguage): EnpsTranslate {
  const catalogue = CATALOGUES[lang];
  return (key, vars = {}) =>
    (catalogue[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : String(vars[name]),
    );
}
