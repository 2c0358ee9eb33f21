/**
 * The renderer's Content-Security-Policy, one string for Electron and browser mode: only the app's
 * own scripts and styles, no inline script, no eval, no plugins, no framing, no remote anything.
 * `connect` adds where the API lives (the host's WebSocket in browser mode).
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
  ].join('; ');
}
