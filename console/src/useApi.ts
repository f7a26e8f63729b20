import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

/** Loads once per change of `deps`; `reload` loads again (after an action). */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setError(undefined)),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload };
}

export const messageOf = (e: unknown) => (e instanceof ApiError ? e.message : 'Something went wrong in the console.');

/** Runs an operator action, reporting its outcome or the API's error message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  /** `action` may answer a sentence saying what came of it; otherwise the outcome reads "done". */
  const run = useCallback(async (label: string, action: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    try {
      const outcome = await action();
      setStatus({ ok: true, text: `${label}: ${typeof outcome === 'string' ? outcome : 'done.'}` });
      after?.();
    } catch (e) {
      setStatus({ ok: false, text: `${label}: ${messageOf(e)}` });
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, status, run };
}
