/** The languages surveys, pages and mails are written in. */
export const LANGUAGES = ['en', 'da', 'sv', 'de'] as const;
