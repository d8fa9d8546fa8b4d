import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { CardApiError } from '../api';

export function CardLoading({ label }: { label: string }) {
  return <LoadingSpinner label={label} showLabel layout="centered" />;
}

/**
 * A failed load. The not_found outcome (or a 404) means NPS Loop has not synced this record yet (or it belongs to no installed portal):
 * that is an empty state, not an error. Everything else offers a retry.
 */
export function CardLoadError({ error, onRetry, what }: { error: Error; onRetry: () => void; what: string }) {
  if (error instanceof CardApiError && (error.outcome === 'not_found' || error.status === 404)) {
    return (
      <EmptyState title={`NPS Loop does not know this ${what} yet`} layout="vertical" imageName="customerExperience">
        <Text>New records appear once NPS Loop has synced them, usually within a minute.</Text>
        <Button onClick={onRetry} testId="retry">
          Check again
        </Button>
      </EmptyState>
    );
  }
  return (
    <ErrorState title={`The ${what}'s NPS could not be loaded`} type="error">
      <Text>{error.message}</Text>
      <Button onClick={onRetry} testId="retry">
        Try again
      </Button>
    </ErrorState>
  );
}
