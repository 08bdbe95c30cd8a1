import { useEffect, useState } from 'preact/hooks';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; value: T };

/** Runs a data-source call once per `key` and tracks its outcome; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: unknown): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ready', value }),
      (e: unknown) => live && setResult({ state: 'error', error: String(e) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return result;
}
