import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Request bodies, headers and tokens are never passed to the logger; the redact list is a second
 * line of defence in case someone logs an object that carries them.
 */
const REDACT = [
  'password',
  '*.password',
  'currentPassword',
  '*.currentPassword',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'deviceToken',
  '*.deviceToken',
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'body',
  '*.body',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
