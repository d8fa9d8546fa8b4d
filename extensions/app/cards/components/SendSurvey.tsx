import { useState } from 'react';
import { Alert, Button, ButtonRow, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { CardApiError, newRequestKey, type CardApi } from '../api';
import type { CanSend, CardOutcomeCode } from '../contract';
import { formatDate } from '../format';

interface Props {
  contactId: string;
  canSend: CanSend;
  api: Pick<CardApi, 'sendSurvey'>;
  onSent: () => void;
}

type Step =
  | { kind: 'idle' }
  | { kind: 'confirm'; quietUntil?: string }
  | { kind: 'sending' }
  | { kind: 'failed'; message: string }
  | { kind: 'refused'; outcome: CardOutcomeCode; message: string };

/** How the card shows each outcome that stops a survey (needs_confirmation asks instead). */
const REFUSED: Record<CardOutcomeCode, { title: string; variant: 'info' | 'warning' | 'error' }> = {
  needs_confirmation: { title: 'Confirm to send', variant: 'warning' },
  survey_pending: { title: 'A survey is already on its way', variant: 'info' },
  opted_out: { title: 'The contact opted out of email', variant: 'warning' },
  no_email: { title: 'The contact has no email address', variant: 'warning' },
  bounced: { title: 'Email to this contact bounced', variant: 'warning' },
  contact_deleted: { title: 'The contact was deleted', variant: 'warning' },
  unknown_contact: { title: 'NPS Loop does not know this contact yet', variant: 'info' },
  not_found: { title: 'NPS Loop does not know this contact yet', variant: 'info' },
  invalid_input: { title: 'The survey request was not valid', variant: 'error' },
  not_sendable: { title: 'No survey can be sent', variant: 'warning' },
  admin_required: { title: 'Only an NPS Loop admin can do this', variant: 'warning' },
};

/**
 * "Send survey now". Disabled, with the reason, when the contact cannot be emailed; inside the quiet period it
 * asks first. The server has the last word: if it answers needs_confirmation, the card asks then.
 */
export function SendSurvey({ contactId, canSend, api, onSent }: Props) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });

  const send = async (confirm: boolean) => {
    setStep({ kind: 'sending' });
    try {
      await api.sendSurvey(contactId, { confirm, requestKey: newRequestKey() });
      setStep({ kind: 'idle' });
      onSent();
    } catch (err) {
      if (err instanceof CardApiError && err.outcome === 'needs_confirmation')
        setStep({ kind: 'confirm', quietUntil: err.quietUntil });
      else if (err instanceof CardApiError && err.outcome)
        setStep({ kind: 'refused', outcome: err.outcome, message: err.message });
      else setStep({ kind: 'failed', message: (err as Error).message });
    }
  };

  if (!canSend.allowed) {
    return (
      <Flex direction="column" gap="xs">
        <Button disabled variant="primary" testId="send-survey">
          Send survey now
        </Button>
        <Text variant="microcopy" testId="send-disabled-reason">
          {canSend.reason ?? 'A survey cannot be sent to this contact.'}
        </Text>
      </Flex>
    );
  }

  if (step.kind === 'confirm') {
    const until = step.quietUntil ?? canSend.quietUntil;
    return (
      <Alert title="Send inside the quiet period?" variant="warning" testId="confirm-send">
        <Text>
          This contact was surveyed recently{until ? `; the quiet period ends on ${formatDate(until)}` : ''}. Send
          another survey anyway?
        </Text>
        <ButtonRow>
          <Button variant="primary" onClick={() => void send(true)} testId="confirm-send-yes">
            Send anyway
          </Button>
          <Button variant="secondary" onClick={() => setStep({ kind: 'idle' })} testId="confirm-send-no">
            Cancel
          </Button>
        </ButtonRow>
      </Alert>
    );
  }

  return (
    <Flex direction="column" gap="xs">
      <LoadingButton
        variant="primary"
        loading={step.kind === 'sending'}
        onClick={() => (canSend.needsConfirmation ? setStep({ kind: 'confirm' }) : void send(false))}
        testId="send-survey"
      >
        Send survey now
      </LoadingButton>
      {step.kind === 'refused' && (
        <Alert title={REFUSED[step.outcome].title} variant={REFUSED[step.outcome].variant} testId="send-refused">
          {step.message}
        </Alert>
      )}
      {step.kind === 'failed' && (
        <Alert title="The survey was not sent" variant="error" testId="send-error">
          {step.message}
        </Alert>
      )}
    </Flex>
  );
}
