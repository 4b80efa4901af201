import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Endpoint } from './endpoint';
import { HTTP_PROBLEMS } from './problem-codes';

/**
 * Runs after every route: a path that exists with other methods is 405 with `Allow` (RFC 9110
 * §15.5.6), and OPTIONS on it is 204 with `Allow`. No CORS header is ever added, so browsers on
 * other origins stay refused.
 */
export function methodGuard(endpoints: readonly Endpoint[]): RequestHandler {
  const templates = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const e of endpoints) {
    const entry = templates.get(e.path) ?? { pattern: pathPattern(e.path), methods: new Set<string>() };
    entry.methods.add(e.method.toUpperCase());
    if (e.method === 'get') entry.methods.add('HEAD');
    templates.set(e.path, entry);
  }
  return (req, res, next) => {
    const match = [...templates.values()].find((t) => t.pattern.test(req.path));
    if (!match) return next();
    const allow = ['OPTIONS', ...match.methods].sort().join(', ');
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    const { status, code } = HTTP_PROBLEMS.methodNotAllowed;
    next(new AppError(status, code, `${req.method} is not allowed here; allowed: ${allow}`));
  };
}

/** Express matches paths case-insensitively and with an optional trailing slash; so does this. */
const pathPattern = (template: string) =>
  new RegExp(`^${template.replace(/[.+*?^$()[\]|\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`, 'i');
