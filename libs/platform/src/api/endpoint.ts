import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors';
import { parse } from '../problem-details';
import { HTTP_PROBLEMS, type ProblemCode } from './problem-codes';

export type Method = 'get' | 'put' | 'post';

export interface HeaderSpec {
  readonly schema: z.ZodType<string>;
  readonly description: string;
  readonly required?: boolean;
  /** The problem a request without the header gets (default REQUEST.INVALID). */
  readonly missing?: ProblemCode;
}

export interface ResponseHeaderSpec {
  readonly schema: z.ZodType;
  readonly description: string;
  readonly required?: boolean;
}

/** An OpenAPI link: where a client (or a stateful fuzzer) can go next with values from this answer. */
export interface LinkSpec {
  readonly operationId: string;
  readonly description: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface ResponseSpec {
  readonly description: string;
  readonly body?: z.ZodType;
  /** Default application/json. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, ResponseHeaderSpec>>;
  readonly links?: Readonly<Record<string, LinkSpec>>;
}

/**
 * One operation of a service's HTTP API: the zod schemas its handler is given parsed input by,
 * and what it answers. The OpenAPI document (openapi.ts) is generated from these objects, and the
 * router is mounted from them, so the two cannot disagree.
 */
export interface Endpoint {
  readonly operationId: string;
  readonly method: Method;
  /** OpenAPI template, e.g. `/orders/{orderId}`. */
  readonly path: `/${string}`;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Requires `Authorization: Bearer <ADMIN_TOKEN>`. */
  readonly admin?: boolean;
  readonly params?: z.ZodObject;
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
  /** A JSON request body. */
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Domain codes this operation may answer with, besides the HTTP layer's own. */
  readonly problems?: readonly ProblemCode[];
}

export const endpoint = <const E extends Endpoint>(e: E): E => e;

type Headers<H> = { [K in keyof H]: H[K] extends { required: true } ? string : string | undefined };

export interface Input<E extends Endpoint> {
  readonly params: E['params'] extends z.ZodType ? z.infer<E['params']> : Record<string, never>;
  readonly headers: Headers<NonNullable<E['headers']>>;
  readonly body: E['body'] extends z.ZodType ? z.infer<E['body']> : undefined;
}

export type Handler<E extends Endpoint> = (input: Input<E>, res: Response) => Promise<unknown> | unknown;

/** An endpoint bound to its handler (and, for an admin endpoint, to the token that guards it). */
export interface Route {
  readonly endpoint: Endpoint;
  readonly guard?: RequestHandler;
  readonly handle: (req: Request, res: Response) => Promise<void>;
}

const bind =
  <E extends Endpoint>(e: E, handler: Handler<E>) =>
  async (req: Request, res: Response): Promise<void> => {
    await handler(parseInput(e, req) as Input<E>, res);
  };

export const route = <E extends Endpoint & { admin?: false }>(e: E, handler: Handler<E>): Route => ({
  endpoint: e,
  handle: bind(e, handler),
});

export const adminRoute = <E extends Endpoint & { admin: true }>(adminToken: string, e: E, handler: Handler<E>): Route => ({
  endpoint: e,
  guard: requireAdmin(adminToken),
  handle: bind(e, handler),
});

function parseInput(e: Endpoint, req: Request) {
  const headers: Record<string, string | undefined> = {};
  for (const [name, spec] of Object.entries(e.headers ?? {})) {
    const value = req.get(name);
    if (value === undefined && spec.required) {
      const missing = spec.missing ?? HTTP_PROBLEMS.invalid;
      throw new AppError(missing.status, missing.code, `the ${name} header is required`);
    }
    headers[name] = value === undefined ? undefined : parse(spec.schema, value, undefined, [name]);
  }
  return {
    params: e.params ? parse(e.params, { ...req.params }) : {},
    headers,
    body: e.body ? parse(e.body, req.body) : undefined,
  };
}

/** `/orders/{orderId}` → `/orders/:orderId` */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** Only a JSON body is read; anything else is 415 before a byte of it is parsed. */
export function jsonBody(limit: string): RequestHandler[] {
  const mediaType: RequestHandler = (req, _res, next) => {
    const { status, code, description } = HTTP_PROBLEMS.unsupportedMediaType;
    next(req.is('application/json') === false ? new AppError(status, code, description) : undefined);
  };
  return [mediaType, express.json({ limit })];
}

export function requireAdmin(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    const { status, code } = HTTP_PROBLEMS.adminToken;
    next(ok ? undefined : new AppError(status, code, 'a valid admin bearer token is required'));
  };
}
