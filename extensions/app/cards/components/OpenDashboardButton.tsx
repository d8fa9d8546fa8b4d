import { useEffect, useState } from 'react';
import { Button, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { DashboardLink } from '../api';

// "Open NPS dashboard": asks the backend, through the card API (signed by HubSpot, naming this portal and this
// user), for a one-time sign-in link, then offers it as a button that opens the dashboard in a new tab. The link works once, for two
// minutes; after that (or once used) the card asks for a new one.

type Step =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; url: string; expiresAt: string }
  | { kind: 'failed'; message: string };

export function OpenDashboardButton({ requestLink }: { requestLink: () => Promise<DashboardLink> }) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });

  // A link past its expiry is useless: go back to asking for a new one.
  useEffect(() => {
    if (step.kind !== 'ready') return undefined;
    const timer = setTimeout(
      () => setStep({ kind: 'idle' }),
      Math.max(0, new Date(step.expiresAt).getTime() - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [step]);

  const ask = async () => {
    setStep({ kind: 'loading' });
    try {
      const link = await requestLink();
      setStep({ kind: 'ready', ...link });
    } catch (err) {
      setStep({ kind: 'failed', message: (err as Error).message || 'NPS Loop could not be reached' });
    }
  };

  if (step.kind === 'ready') {
    return (
      <Flex direction="column" gap="xs">
        <Button
          variant="primary"
          href={{ url: step.url, external: true }}
          onClick={() => setStep({ kind: 'idle' })}
          testId="open-dashboard-link"
        >
          Go to the dashboard
        </Button>
        <Text variant="microcopy" testId="open-dashboard-hint">
          Opens in a new tab and signs you in. The link works once, within two minutes.
        </Text>
      </Flex>
    );
  }

  return (
    <Flex direction="column" gap="xs">
      <LoadingButton
        variant="secondary"
        loading={step.kind === 'loading'}
        onClick={() => void ask()}
        testId="open-dashboard"
      >
        Open NPS dashboard
      </LoadingButton>
      {step.kind === 'failed' ? (
        <Text variant="microcopy" testId="open-dashboard-error">
          {`The dashboard link could not be made: ${step.message}`}
        </Text>
      ) : null}
    </Flex>
  );
}
