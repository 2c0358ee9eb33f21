import express, { type RequestHandler } from 'express';

/**
 * JSON bodies only, capped in bytes (413 beyond), objects or arrays only (strict). Deeply nested
 * input that makes the parser throw is answered 400 like any other malformed body.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({
    limit: limitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
}
