import {
  API_METHOD_NAMES,
  type ApiName,
  type ApiResult,
  apiMethods,
  ipcChannel,
} from '@creator-hub/shared/api/index';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './origin';

export type ApiCaller = (name: ApiName, payload: unknown) => Promise<ApiResult<unknown>>;

/** A call is trusted only from the app's own top-level frame (not an iframe, not another origin). */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

const refused = (message: string): ApiResult<never> => ({
  ok: false,
  error: { code: 'invalid_input', message },
});

/**
 * One `ipcMain.handle` per contract method, named from the contract. Each checks the sender and
 * validates the payload before it reaches the core (which validates again at its own boundary).
 */
export function registerApiIpc(ipcMain: IpcMain, call: ApiCaller): void {
  for (const name of API_METHOD_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, payload: unknown) => {
      if (!isTrustedSender(event)) return refused('this caller may not use the app API');
      const input = apiMethods[name].input.safeParse(payload ?? {});
      if (!input.success) {
        return {
          ok: false,
          error: {
            code: 'invalid_input',
            message: 'The request was not valid.',
            issues: input.error.issues.slice(0, 20).map((i) => ({
              path: i.path.map(String).join('.'),
              message: i.message,
            })),
          },
        } satisfies ApiResult<never>;
      }
      return call(name, input.data);
    });
  }
}
