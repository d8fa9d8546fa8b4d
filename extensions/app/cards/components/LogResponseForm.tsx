import { useState } from 'react';
import { Alert, Button, ButtonRow, Flex, LoadingButton, Select, TextArea } from '@hubspot/ui-extensions';
import { CardApiError, newRequestKey, type CardApi } from '../api';
import { MAX_COMMENT_LENGTH } from '../contract';

interface Props {
  contactId: string;
  api: Pick<CardApi, 'logResponse'>;
  onLogged: () => void;
}

const SCORE_OPTIONS = Array.from({ length: 11 }, (_, score) => ({
  value: score,
  label: score === 0 ? '0 – not at all likely' : score === 10 ? '10 – extremely likely' : String(score),
}));

/** "Log a response": an answer taken by phone or in person, recorded like any other (channel "manual"). */
export function LogResponseForm({ contactId, api, onLogged }: Props) {
  const [open, setOpen] = useState(false);
  const [score, setScore] = useState<number | undefined>(undefined);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const [scoreMissing, setScoreMissing] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | undefined>(undefined);

  const reset = () => {
    setOpen(false);
    setScore(undefined);
    setComment('');
    setScoreMissing(false);
    setError(undefined);
  };

  const save = async () => {
    if (score === undefined) {
      setScoreMissing(true);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const trimmed = comment.trim();
      await api.logResponse(contactId, {
        score,
        ...(trimmed ? { comment: trimmed } : {}),
        requestKey: newRequestKey(),
      });
      reset();
      onLogged();
    } catch (err) {
      // Outcomes (HTTP 200) name what to fix; anything else is a failure to save.
      const outcome = err instanceof CardApiError ? err.outcome : undefined;
      setError({
        title:
          outcome === 'invalid_input'
            ? 'Check the answer'
            : outcome === 'not_found'
              ? 'NPS Loop does not know this contact yet'
              : 'The response was not saved',
        message: (err as Error).message,
      });
    } finally {
      setSaving(false);
    }
  };

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)} testId="open-log-response">
        Log a response
      </Button>
    );
  }

  return (
    <Flex direction="column" gap="sm">
      <Select
        label="How likely is this customer to recommend us? (0–10)"
        name="score"
        required
        options={SCORE_OPTIONS}
        value={score}
        onChange={(value) => {
          setScore(Number(value));
          setScoreMissing(false);
        }}
        error={scoreMissing}
        validationMessage={scoreMissing ? 'Choose a score from 0 to 10' : undefined}
        testId="log-score"
      />
      <TextArea
        label="What did they say? (optional)"
        name="comment"
        value={comment}
        maxLength={MAX_COMMENT_LENGTH}
        onChange={setComment}
        testId="log-comment"
      />
      {error && (
        <Alert title={error.title} variant="error" testId="log-error">
          {error.message}
        </Alert>
      )}
      <ButtonRow>
        <LoadingButton variant="primary" loading={saving} onClick={() => void save()} testId="save-response">
          Save response
        </LoadingButton>
        <Button variant="secondary" onClick={reset} testId="cancel-log-response">
          Cancel
        </Button>
      </ButtonRow>
    </Flex>
  );
}
