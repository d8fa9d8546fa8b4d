// The workflow-callback outbox kind is declared in src/workflow-action, but answers mark it in the same statement
// that stores them (src/responses), and workflow-action already depends on responses through contacts. Its name
// lives here so both sides use the one spelling without a folder cycle.
export const WORKFLOW_CALLBACK_KIND = 'workflow-callback';

// Detractor alerts (src/alerts) are planned from an item marked in the answer's statement too; alerts reads
// answers, so responses cannot import it.
export const ALERT_ANSWER_KIND = 'alert-answer';

// Survey texts (src/sms) are sent from an item the survey delivery (src/surveys) marks when an SMS invitation or
// reminder falls due; sms reads the survey catalogue, so surveys cannot import it.
export const SMS_SEND_KIND = 'sms-send';
