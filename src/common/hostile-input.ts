import type { NextFunction, Request, Response } from 'express';
import { UnsupportedMediaTypeError, ValidationFailedError } from '../../libs/ledger/src';

/**
 * Checks that hold for every route, at the edge (docs/security.md "Hostile input"): whatever a client
 * sends, it gets a 4xx problem, never a 500 from a library or from PostgreSQL further in.
 */

/** The first field (dotted path) holding a NUL character in a key or a string, anywhere in `value`. */
export function nulFieldOf(value: unknown, root = ''): string | null {
  // Iterative: a deeply nested body must not overflow the stack.
  const pending: Array<[unknown, string]> = [[value, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (current.includes('\0')) return path;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (key.includes('\0')) return childPath;
      pending.push([child, childPath]);
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold NUL (it refuses the statement), and no field of this API has a
 * use for one: a NUL anywhere in `values` is a 400 naming the field.
 */
export function refuseNulStrings(values: Record<string, unknown>): void {
  const field = nulFieldOf(values);
  if (field !== null) {
    throw new ValidationFailedError('Text must not contain NUL characters', [{ field, message: 'must not contain NUL characters' }]);
  }
}

/**
 * Express middleware, after the JSON body parser: the query string and the JSON body, each
 * whole (a query parameter and a body field of the same name are both checked). Multipart
 * bodies are checked where they are read.
 */
export function nulStringsRefused(request: Request, _response: Response, next: NextFunction): void {
  try {
    refuseNulStrings(request.query as Record<string, unknown>);
    refuseNulStrings(isPlainBody(request.body) ? request.body : { body: request.body });
    next();
  } catch (error) {
    next(error);
  }
}

function isPlainBody(body: unknown): body is Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body);
}

/** `__proto__` and `constructor` slip past the DTO whitelist (class-transformer skips them): refused like unknown fields. */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * JSON.parse reviver: a body carrying a forbidden key is a 400 like any unknown field. A
 * SyntaxError, because body-parser strips every other property of what the parser throws.
 */
export function forbiddenKeysRefused(key: string, value: unknown): unknown {
  if (isForbiddenKey(key)) throw new SyntaxError(`forbidden key ${key}`);
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** `.`, `e`, `E`: a number literal with a fraction or an exponent. */
function isFractionOrExponent(byte: number): boolean {
  return byte === 0x2e || byte === 0x65 || byte === 0x45;
}

const COLON = 0x3a;

/**
 * The field whose value the JSON text writes as a number with a fraction or an exponent
 * (`body` when it has no name), or null. JSON.parse turns `1.0000000000000001` and `10e-1`
 * into the integer 1, so only the text can tell; every number of this API is an integer, so
 * any such literal is refused.
 */
export function nonIntegerLiteralField(json: Buffer): string | null {
  let inString = false;
  let escaped = false;
  let inNumber = false;
  let stringStart = 0;
  let lastString = '';
  let field = 'body';
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) {
        inString = false;
        lastString = json.subarray(stringStart, i).toString('utf8');
      }
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
      stringStart = i + 1;
    }
    // A string followed by a colon was a key: the numbers after it are its value.
    if (byte === COLON) field = lastString;
    if (inNumber && isFractionOrExponent(byte)) return field;
    inNumber = inNumber ? isDigit(byte) : isDigit(byte) || byte === MINUS;
  }
  return null;
}

/**
 * body-parser's `verify` hook, on the raw (inflated) JSON bytes before parsing: UTF-8 only
 * (docs/api.md "Conventions"; body-parser alone would also take UTF-16 and UTF-32), and integer literals only.
 */
export function verifyJsonBody(_request: Request, _response: Response, body: Buffer, charset: string): void {
  if (!['utf-8', 'utf8'].includes(charset.toLowerCase())) throw new UnsupportedMediaTypeError('JSON bodies must be UTF-8');
  const field = nonIntegerLiteralField(body);
  if (field !== null) {
    throw new ValidationFailedError('Numbers must be integers written without a fraction or an exponent', [
      { field, message: 'must be an integer, written without a fraction or an exponent' },
    ]);
  }
}
