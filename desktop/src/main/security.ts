import type { Session, WebContents } from 'electron';
import { isAppUrl, isHttpsUrl } from './origin';

/** Opens an https link outside the app after the user agreed; answers whether it opened. */
export type ExternalOpener = (url: string) => Promise<boolean>;

/**
 * Navigation stays inside the app origin; new windows are never created (an https link is
 * offered to the system browser instead); webviews are never attached.
 */
export function hardenWebContents(contents: WebContents, openExternal: ExternalOpener): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** Every permission (camera, microphone, notifications, geolocation...) is refused. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export interface ConfirmDeps {
  confirm: (url: string) => Promise<boolean>;
  open: (url: string) => Promise<void>;
}

/** Only https, only after the user confirmed the exact address. */
export function createExternalOpener(deps: ConfirmDeps): ExternalOpener {
  return async (url) => {
    if (!isHttpsUrl(url)) return false;
    if (!(await deps.confirm(url))) return false;
    await deps.open(url);
    return true;
  };
}
