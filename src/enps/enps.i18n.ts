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

// Every catalogue is complete (a missing text is a type error): an employee reads their own language throughout.
const da: Record<EnpsMessage, string> = {
  question: 'Hvor sandsynligt er det, at du vil anbefale {company} som arbejdsplads til en ven?',
  why: 'Hvad er hovedårsagen til din score?',
  optional: '(valgfrit)',
  scaleLow: 'Slet ikke sandsynligt',
  scaleHigh: 'Meget sandsynligt',
  scoreLegend: 'Vælg en score fra 0 til 10',
  submit: 'Send mit svar',
  anonymity:
    'Dit svar er anonymt: det gemmes uden dit navn eller din e-mail, og resultater vises kun for grupper på mindst {k} personer. Det, du skriver med dine egne ord, kan stadig afsløre dig.',
  anonymousShort: 'Dit svar er anonymt: det gemmes uden dit navn eller din e-mail.',
  subject: 'Hvordan er det at arbejde hos {company}? (anonymt, 1 minut)',
  reminderSubject: 'Påmindelse: dit anonyme svar om at arbejde hos {company}',
  greeting: 'Hej {name},',
  greetingNoName: 'Hej,',
  intro: 'Vi stiller alle hos {company} ét spørgsmål hvert kvartal. Dit svar er anonymt.',
  reminderIntro: 'Hvis du ikke har svaret endnu, er der stadig tid: undersøgelsen lukker den {date}.',
  link: 'Svar her: {url}',
  closes: 'Undersøgelsen lukker den {date}.',
  thanks: 'Tak. Dit svar er gemt, anonymt. Du kan ændre det med det samme link indtil den {date}.',
  thanksTitle: 'Tak',
  changed: 'Dit svar blev erstattet.',
  gone: 'Undersøgelsen er lukket. Tak fordi du deltog.',
  goneTitle: 'Undersøgelsen er lukket',
  notFound: 'Dette link er ikke gyldigt. Brug det nyeste link fra din e-mail.',
  notFoundTitle: 'Linket er ikke gyldigt',
  usedOtherTitle: 'Allerede besvaret',
  usedOther:
    'Du har allerede svaret med linket fra din anden e-mail. Brug det link til at ændre dit svar: for at du forbliver anonym, kan de to links ikke forbindes.',
  scoreRequired: 'Vælg en score fra 0 til 10.',
  tooLong: 'Hold venligst teksten under 5.000 tegn.',
  errorTitle: 'Der er et problem',
};
const sv: Record<EnpsMessage, string> = {
  question: 'Hur troligt är det att du skulle rekommendera {company} som arbetsplats till en vän?',
  why: 'Vad är huvudskälet till ditt betyg?',
  optional: '(valfritt)',
  scaleLow: 'Inte alls troligt',
  scaleHigh: 'Mycket troligt',
  scoreLegend: 'Välj ett betyg från 0 till 10',
  submit: 'Skicka mitt svar',
  anonymity:
    'Ditt svar är anonymt: det sparas utan ditt namn eller din e-post, och resultat visas bara för grupper på minst {k} personer. Det du skriver med egna ord kan ändå avslöja dig.',
  anonymousShort: 'Ditt svar är anonymt: det sparas utan ditt namn eller din e-post.',
  subject: 'Hur är det att arbeta på {company}? (anonymt, 1 minut)',
  reminderSubject: 'Påminnelse: ditt anonyma svar om att arbeta på {company}',
  greeting: 'Hej {name},',
  greetingNoName: 'Hej,',
  intro: 'Vi ställer en fråga till alla på {company} varje kvartal. Ditt svar är anonymt.',
  reminderIntro: 'Om du inte har svarat än finns det fortfarande tid: undersökningen stänger den {date}.',
  link: 'Svara här: {url}',
  closes: 'Undersökningen stänger den {date}.',
  thanks: 'Tack. Ditt svar är sparat, anonymt. Du kan ändra det med samma länk fram till den {date}.',
  thanksTitle: 'Tack',
  changed: 'Ditt svar har ersatts.',
  gone: 'Undersökningen har stängt. Tack för att du deltog.',
  goneTitle: 'Undersökningen har stängt',
  notFound: 'Länken är inte giltig. Använd den senaste länken från din e-post.',
  notFoundTitle: 'Länken är inte giltig',
  usedOtherTitle: 'Redan besvarad',
  usedOther:
    'Du har redan svarat med länken från ditt andra e-postmeddelande. Använd den länken för att ändra ditt svar: för att du ska förbli anonym kan de två länkarna inte kopplas ihop.',
  scoreRequired: 'Välj ett betyg från 0 till 10.',
  tooLong: 'Håll texten under 5 000 tecken.',
  errorTitle: 'Det finns ett problem',
};
const de: Record<EnpsMessage, string> = {
  question: 'Wie wahrscheinlich ist es, dass Sie {company} einem Freund als Arbeitgeber empfehlen?',
  why: 'Was ist der wichtigste Grund für Ihre Bewertung?',
  optional: '(optional)',
  scaleLow: 'Überhaupt nicht wahrscheinlich',
  scaleHigh: 'Äußerst wahrscheinlich',
  scoreLegend: 'Wählen Sie einen Wert von 0 bis 10',
  submit: 'Antwort senden',
  anonymity:
    'Ihre Antwort ist anonym: Sie wird ohne Ihren Namen oder Ihre E-Mail-Adresse gespeichert, und Ergebnisse werden nur für Gruppen von mindestens {k} Personen gezeigt. Was Sie in eigenen Worten schreiben, könnte Sie dennoch erkennbar machen.',
  anonymousShort: 'Ihre Antwort ist anonym: Sie wird ohne Ihren Namen oder Ihre E-Mail-Adresse gespeichert.',
  subject: 'Wie ist die Arbeit bei {company}? (anonym, 1 Minute)',
  reminderSubject: 'Erinnerung: Ihre anonyme Antwort zur Arbeit bei {company}',
  greeting: 'Hallo {name},',
  greetingNoName: 'Hallo,',
  intro: 'Wir stellen allen bei {company} jedes Quartal eine Frage. Ihre Antwort ist anonym.',
  reminderIntro: 'Falls Sie noch nicht geantwortet haben, ist noch Zeit: Die Umfrage endet am {date}.',
  link: 'Hier antworten: {url}',
  closes: 'Die Umfrage endet am {date}.',
  thanks: 'Vielen Dank. Ihre Antwort ist anonym gespeichert. Sie können sie mit demselben Link bis zum {date} ändern.',
  thanksTitle: 'Vielen Dank',
  changed: 'Ihre Antwort wurde ersetzt.',
  gone: 'Diese Umfrage ist beendet. Vielen Dank für Ihre Teilnahme.',
  goneTitle: 'Umfrage beendet',
  notFound: 'Dieser Link ist nicht gültig. Bitte verwenden Sie den neuesten Link aus Ihrer E-Mail.',
  notFoundTitle: 'Link ungültig',
  usedOtherTitle: 'Bereits beantwortet',
  usedOther:
    'Sie haben bereits mit dem Link aus Ihrer anderen E-Mail geantwortet. Verwenden Sie diesen Link, um Ihre Antwort zu ändern: Damit Sie anonym bleiben, können die beiden Links nicht verknüpft werden.',
  scoreRequired: 'Wählen Sie einen Wert von 0 bis 10.',
  tooLong: 'Bitte bleiben Sie unter 5.000 Zeichen.',
  errorTitle: 'Es gibt ein Problem',
};

const CATALOGUES: Record<SurveyLanguage, Record<EnpsMessage, string>> = { en, da, sv, de };

export type EnpsTranslate = (key: EnpsMessage, vars?: Record<string, string | number>) => string;

export function enpsTranslator(lang: SurveyLanguage): EnpsTranslate {
  const catalogue = CATALOGUES[lang];
  return (key, vars = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : String(vars[name]),
    );
}
