import { useEffect, useState } from 'react';
import { Button, Flex, hubspot, LoadingButton, Text, useExtensionContext } from '@hubspot/ui-extensions';
import { z } from 'zod';
import { BACKEND_URL, REQUEST_TIMEOUT_MS } from '../api';

// "Open NPS dashboard": asks the backend for a one-time sign-in link (signed by HubSpot, naming this portal and
// this user), then offers it as a button that opens the dashboard in a new tab. The link works once, for two
// minutes; after that (or once used) the card asks for a new one.

const linkSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() });

type Step =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; url: string; expiresAt: string }
  | { kind: 'failed'; message: string };

/** The signed query naming who asks: HubSpot's context, sent by the card itself (HubSpot may append copies). */
function whoQuery(context: { portal: { id: number }; user: { id: number; email: string } }): string {
  return new URLSearchParams({
    portalId: String(context.portal.id),
    userId: String(context.user.id),
    userEmail: context.user.email,
  }).toString();
}

async function requestLink(query: string): Promise<z.infer<typeof linkSchema>> {
  const response = await hubspot.fetch(`${BACKEND_URL}/api/card/dashboard-link?${query}`, {
    method: 'POST',
    timeout: REQUEST_TIMEOUT_MS,
    body: {},
  });
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = linkSchema.safeParse(json);
  if (!response.ok || !parsed.success) {
    const message = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new Error(typeof message === 'string' ? message : `NPS Loop answered ${response.status}`);
  }
  return parsed.data;
}

export function OpenDashboardButton() {
  const context = useExtensionContext<'crm.record.tab'>();
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
      const link = await requestLink(whoQuery(context));
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
