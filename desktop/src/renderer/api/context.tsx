import type {
  ApiEvent,
  ApiEventName,
  ApiInput,
  ApiName,
  ApiOutput,
} from '@creator-hub/shared/api/index';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from 'react';
import type { AppClient } from './bridge';

const ClientContext = createContext<AppClient | null>(null);

export function ClientProvider({ client, children }: { client: AppClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): AppClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Calls one API method and keeps its answer; `reload` calls it again. Null input = don't call. */
export function useLoad<K extends ApiName>(
  name: K,
  input: ApiInput<K> | null,
): Loaded<ApiOutput<K>> {
  const client = useClient();
  const [data, setData] = useState<ApiOutput<K>>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  // The request is its JSON (plus the reload count), so an equal input does not call again.
  const request = JSON.stringify([input, tick]);
  useEffect(() => {
    const [payload] = JSON.parse(request) as [ApiInput<K> | null, number];
    if (payload === null) return;
    let live = true;
    setLoading(true);
    client
      .send(name, payload)
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, name, request]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function useEvent<E extends ApiEventName>(event: E, listener: (p: ApiEvent<E>) => void) {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => client.on(event, (p) => ref.current(p)), [client, event]);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function newOpId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
