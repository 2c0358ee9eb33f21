import type { z } from 'zod';
import { chatMethods } from './chat';
import { evalMethods } from './evals';
import type { ApiEvent, ApiEventName } from './events';
import { knowledgeMethods } from './knowledge';
import { personaMethods } from './persona';
import { programMethods } from './programs';
import { publishMethods } from './publish';
import { settingsMethods } from './settings';

/**
 * The desktop API, defined once. The Electron IPC bridge, the preload, the browser-mode host and
 * the renderer's client are all derived from this map: adding a method here is the one edit, and
 * the compiler points at every handler that is then missing.
 */
export const apiMethods = {
  ...settingsMethods,
  ...knowledgeMethods,
  ...chatMethods,
  ...personaMethods,
  ...programMethods,
  ...evalMethods,
  ...publishMethods,
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiName = keyof ApiMethods;
/** What a caller may pass (before defaults are applied). */
export type ApiInput<K extends ApiName> = z.input<ApiMethods[K]['input']>;
/** What a handler receives (after validation). */
export type ApiParsedInput<K extends ApiName> = z.output<ApiMethods[K]['input']>;
export type ApiOutput<K extends ApiName> = z.output<ApiMethods[K]['output']>;

/** The typed handler map a core implements (Actual Budget style). */
export type ApiHandlers = {
  [K in ApiName]: (input: ApiParsedInput<K>) => Promise<ApiOutput<K>>;
};

/** What the renderer holds: one `send` for calls and one `on` for streamed events. */
export interface ApiClient {
  send<K extends ApiName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvent<E>) => void): () => void;
}

export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiName[];

export const isApiName = (name: string): name is ApiName => Object.hasOwn(apiMethods, name);

/** The IPC channel of one method, shared by main and preload so they cannot drift apart. */
export const ipcChannel = (name: ApiName) => `api:${name}` as const;
export const IPC_EVENT_CHANNEL = 'api-event';
