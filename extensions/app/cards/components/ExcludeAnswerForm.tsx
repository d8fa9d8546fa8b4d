import { useState } from 'react';
import { Alert, Button, ButtonRow, Flex, Heading, LoadingButton, Text, TextArea } from '@hubspot/ui-extensions';
import type { CardApi } from '../api';
import { MAX_EXCLUSION_REASON_LENGTH, type HistoryEntry } from '../contract';
import { CATEGORY_LABEL, formatDate } from '../format';

interface Props {
  contactId: string;
  entry: HistoryEntry & { responseId: string };
  api: Pick<CardApi, 'excludeAnswer'>;
  onExcluded: () => void;
  onCancel: () => void;
}

/**
 * "Exclude" on a history row: a test answer, a mistaken phone log or spam leaves the NPS, the card and the
 * HubSpot properties, with the reason kept in the audit trail. An admin can include it again on the dashboard.
 */
export function ExcludeAnswerForm({ contactId, entry, api, onExcluded, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const exclude = async () => {
    const trimmed = reason.trim();
    if (!trimmed) {
      setReasonMissing(true);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await api.excludeAnswer(contactId, entry.responseId, { reason: trimmed });
      onExcluded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      <Heading>Exclude an answer</Heading>
      <Text>
        {formatDate(entry.answeredAt)}: {entry.score} ({CATEGORY_LABEL[entry.category]})
        {entry.comment ? `, “${entry.comment}”` : ''}. It stops counting everywhere; an admin can include it again on
        the NPS dashboard.
      </Text>
      <TextArea
        label="Why? (kept in the audit trail)"
        name="reason"
        required
        value={reason}
        maxLength={MAX_EXCLUSION_REASON_LENGTH}
        onChange={(value) => {
          setReason(value);
          setReasonMissing(false);
        }}
        error={reasonMissing}
        validationMessage={reasonMissing ? 'Say why the answer should not count' : undefined}
        testId="exclude-reason"
      />
      {error && (
        <Alert title="The answer was not excluded" variant="error" testId="exclude-error">
          {error}
        </Alert>
      )}
      <ButtonRow>
        <LoadingButton variant="destructive" loading={saving} onClick={() => void exclude()} testId="confirm-exclude">
          Exclude answer
        </LoadingButton>
        <Button variant="secondary" onClick={onCancel} testId="cancel-exclude">
          Cancel
        </Button>
      </ButtonRow>
    </Flex>
  );
}
