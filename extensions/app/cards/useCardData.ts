import { useCallback, useEffect, useState } from 'react';

// One data hook for both cards: a loading/success/error union. A reload keeps the shown data (no spinner flash
// after an action) and a response that arrives after a newer request started is dropped. The state is derived
// from the last settled request and the one wanted now, so the effect never sets state before `load` settles.

export type CardData<T> =
  { status: 'loading' } | { status: 'success'; data: T; refreshing: boolean } | { status: 'error'; error: Error };

type Settled<T> = { request: string } & ({ ok: true; data: T } | { ok: false; error: Error });

export function useCardData<T>(load: () => Promise<T>, key: string): { state: CardData<T>; reload: () => void } {
  const [settled, setSettled] = useState<Settled<T> | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const request = `${key}#${generation}`;

  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setSettled({ request, ok: true, data }),
      (error: unknown) =>
        current && setSettled({ request, ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
    // `load` is recreated on every render; `request` names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state: cardState(settled, request), reload };
}

function cardState<T>(settled: Settled<T> | undefined, request: string): CardData<T> {
  if (!settled) return { status: 'loading' };
  const fresh = settled.request === request;
  if (settled.ok) return { status: 'success', data: settled.data, refreshing: !fresh };
  return fresh ? { status: 'error', error: settled.error } : { status: 'loading' };
}
