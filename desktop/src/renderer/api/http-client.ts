import {
  type ApiClient,
  ApiError,
  type ApiEventEnvelope,
  type ApiEventName,
  apiErrorSchema,
} from '@creator-hub/shared/api/index';

type Listener = (payload: unknown) => void;

/** Reads the launch token from the URL fragment once, then keeps it for this tab only. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem('creator-hub-token', match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem('creator-hub-token');
}

/** Browser mode: calls are POSTs to /api/<method>, events arrive on one WebSocket. */
export function createHttpClient(
  token: string,
): ApiClient & { upload(file: File): Promise<string> } {
  const listeners = new Map<ApiEventName, Set<Listener>>();
  let socket: WebSocket | null = null;

  const connect = () => {
    const url = `ws://${window.location.host}/events?token=${encodeURIComponent(token)}`;
    socket = new WebSocket(url);
    socket.onmessage = (message) => {
      const envelope = JSON.parse(String(message.data)) as ApiEventEnvelope;
      for (const listener of listeners.get(envelope.event) ?? []) listener(envelope.payload);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, 1000);
    };
  };
  connect();

  const failure = async (res: Response): Promise<never> => {
    const body = await res.json().catch(() => null);
    const parsed = apiErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
    if (parsed.success)
      throw new ApiError(parsed.data.code, parsed.data.message, parsed.data.issues);
    throw new ApiError('failed', `The app answered ${res.status}.`);
  };

  return {
    async send(name, input) {
      const res = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      if (!res.ok) return failure(res);
      return res.json();
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    async upload(file) {
      const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` },
        body: file,
      });
      if (!res.ok) return failure(res);
      const body = (await res.json()) as { uploadId: string };
      return body.uploadId;
    },
  };
}
