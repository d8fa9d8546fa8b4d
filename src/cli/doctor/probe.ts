import { HubSpotError, PortalNotConnectedError } from '../../hubspot';

// One HubSpot call made by a doctor check, its failure sorted into what the fix depends on.

export type Probe = { ok: true } | { ok: false; kind: 'auth' | 'scope' | 'other'; message: string; scopes: string[] };

export async function probe(call: () => Promise<unknown>): Promise<Probe> {
  try {
    await call();
    return { ok: true };
  } catch (err) {
    if (err instanceof PortalNotConnectedError || (err instanceof HubSpotError && err.status === 401))
      return { ok: false, kind: 'auth', message: err.message, scopes: [] };
    if (err instanceof HubSpotError && err.status === 403)
      return { ok: false, kind: 'scope', message: err.hubspotMessage, scopes: scopesNamedIn(err.body) };
    return { ok: false, kind: 'other', message: (err as Error).message, scopes: [] };
  }
}

/** HubSpot's 403 MISSING_SCOPES body names the scopes in errors[].context.requiredGranularScopes. */
function scopesNamedIn(body: unknown): string[] {
  const errors = (body as { errors?: Array<{ context?: Record<string, unknown> }> } | undefined)?.errors ?? [];
  return errors.flatMap((e) => {
    const named = e.context?.requiredGranularScopes ?? e.context?.requiredScopes;
    return Array.isArray(named) ? named.map(String) : [];
  });
}
