import type { Sandbox } from '../../sandbox';

// Reads the sandbox portal the way an admin would see it in HubSpot: through the public API with the app's token.

export interface HubSpotView {
  get<T>(path: string): Promise<T | null>;
  post<T>(path: string, body: unknown): Promise<T | null>;
}

export function hubspotView(sandbox: Sandbox): HubSpotView {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T | null> => {
    const res = await fetch(`${sandbox.url()}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.defaultToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 404) return null;
    if (!res.ok && res.status !== 207)
      throw new Error(`${method} ${path} → ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

interface ObjectPage {
  results: Array<{ id: string; properties: Record<string, string | null> }>;
  paging?: { next?: { after: string } };
}

export async function listAll(view: HubSpotView, type: string, properties: string[]): Promise<ObjectPage['results']> {
  const out: ObjectPage['results'] = [];
  let after: string | undefined;
  do {
    const page = await view.get<ObjectPage>(
      `/crm/v3/objects/${type}?limit=100&properties=${properties.join(',')}${after ? `&after=${after}` : ''}`,
    );
    out.push(...(page?.results ?? []));
    after = page?.paging?.next?.after;
  } while (after);
  return out;
}

export async function readObjects(
  view: HubSpotView,
  type: string,
  ids: string[],
  properties: string[],
): Promise<ObjectPage['results']> {
  const out: ObjectPage['results'] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const r = await view.post<ObjectPage>(`/crm/v3/objects/${type}/batch/read`, {
      inputs: ids.slice(i, i + 100).map((id) => ({ id })),
      properties,
    });
    out.push(...(r?.results ?? []));
  }
  return out;
}

export async function listByName(
  view: HubSpotView,
  name: string,
): Promise<{ listId: string; name: string; processingType: string } | null> {
  const r = await view.get<{ list: { listId: string; name: string; processingType: string } }>(
    `/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent(name)}`,
  );
  return r?.list ?? null;
}

export async function listMembers(view: HubSpotView, listId: string): Promise<string[]> {
  const r = await view.get<{ results: Array<{ recordId: string }> }>(`/crm/v3/lists/${listId}/memberships?limit=250`);
  return (r?.results ?? []).map((m) => String(m.recordId));
}
