import { useCallback, useEffect, useRef, useState } from 'react';

// One data hook for both cards: a loading/success/error union. A reload keeps the shown data (no spinner flash
// after an action) and a response that arrives after a newer request started is dropped.

export type CardData<T> =
  | { status: 'loading' }
  | { status: 'success'; data: T; refreshing: boolean }
  | { status: 'error'; error: Error };

export function useCardData<T>(load: () => Promise<T>, key: string): { state: CardData<T>; reload: () => void } {
  const [state, setState] = useState<CardData<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState((prev) => (prev.status === 'success' ? { ...prev, refreshing: true } : { status: 'loading' }));
    load().then(
      (data) => {
        if (request === latest.current) setState({ status: 'success', data, refreshing: false });
      },
      (error: unknown) => {
        if (request === latest.current) setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    // `load` is recreated on every render; `key` names what it loads.
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
