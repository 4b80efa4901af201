import { z } from 'zod';
import type { Endpoint, ResponseSpec } from './endpoint';
import { PLATFORM_ENDPOINTS } from './platform-endpoints';
import { HTTP_PROBLEMS, type ProblemCode } from './problem-codes';

type Json = Record<string, unknown>;

const schemaOf = (schema: z.ZodType): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

/** The problem+json body of one status, its `code` narrowed to what this operation can answer. */
const problemSchema = (status: number, codes: readonly string[]): Json => ({
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: 'a URI naming the problem type' },
    title: { type: 'string' },
    status: { const: status },
    code: { enum: [...codes], description: 'stable, never renamed: switch on this' },
    detail: { type: 'string', description: 'for humans; may change' },
    instance: { type: 'string', description: 'the request path' },
    errors: {
      type: 'array',
      description: 'REQUEST.INVALID only: each input that broke the schema',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
});

/** The codes the HTTP layer may add to an endpoint's own, given what it reads. */
export function problemsOf(e: Endpoint): ProblemCode[] {
  const takesInput = e.params !== undefined || e.headers !== undefined || e.body !== undefined;
  const P = HTTP_PROBLEMS;
  return [
    ...(takesInput ? [P.invalid] : []),
    ...(e.params ? [P.malformedUrl] : []),
    ...Object.values(e.headers ?? {}).flatMap((h) => (h.missing ? [h.missing] : [])),
    ...(e.body ? [P.malformedJson, P.tooLarge, P.unsupportedMediaType, P.unsupportedEncoding] : []),
    ...(e.admin ? [P.adminToken] : []),
    ...(e.problems ?? []),
    P.internal,
  ];
}

function successResponse(spec: ResponseSpec): Json {
  return {
    description: spec.description,
    ...(spec.headers && {
      headers: Object.fromEntries(
        Object.entries(spec.headers).map(([name, h]) => [
          name,
          { description: h.description, required: h.required ?? false, schema: schemaOf(h.schema) },
        ]),
      ),
    }),
    ...(spec.body && { content: { [spec.contentType ?? 'application/json']: { schema: schemaOf(spec.body) } } }),
    ...(spec.links && { links: spec.links }),
  };
}

function operation(e: Endpoint): Json {
  const problems = new Map<number, ProblemCode[]>();
  for (const p of problemsOf(e)) problems.set(p.status, [...(problems.get(p.status) ?? []), p]);
  const pathParams = Object.entries(e.params?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(schema as z.ZodType),
  }));
  const headerParams = Object.entries(e.headers ?? {}).map(([name, h]) => ({
    name,
    in: 'header',
    required: h.required ?? false,
    description: h.description,
    schema: schemaOf(h.schema),
  }));
  return {
    operationId: e.operationId,
    tags: [e.tag],
    summary: e.summary,
    ...(e.description && { description: e.description }),
    ...(e.admin && { security: [{ adminBearer: [] }] }),
    ...(pathParams.length + headerParams.length > 0 && { parameters: [...pathParams, ...headerParams] }),
    ...(e.body && { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(e.body) } } } }),
    responses: {
      ...Object.fromEntries(Object.entries(e.responses).map(([status, spec]) => [status, successResponse(spec)])),
      ...Object.fromEntries(
        [...problems].map(([status, codes]) => [
          String(status),
          {
            description: codes.map((c) => `\`${c.code}\`: ${c.description}`).join('; '),
            content: { 'application/problem+json': { schema: problemSchema(status, [...new Set(codes.map((c) => c.code))]) } },
          },
        ]),
      ),
    },
  };
}

/** Every code the document can answer with, for its description: a client's table of errors. */
function codeTable(endpoints: readonly Endpoint[]): string {
  const all = new Map<string, ProblemCode>();
  const transport = [HTTP_PROBLEMS.routeNotFound, HTTP_PROBLEMS.methodNotAllowed, HTTP_PROBLEMS.urlTooLong, HTTP_PROBLEMS.headersTooLarge];
  for (const p of [...endpoints.flatMap(problemsOf), ...transport, HTTP_PROBLEMS.malformed]) all.set(p.code, p);
  const rows = [...all.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
  return ['| status | code | meaning |', '|---|---|---|', ...rows.map((p) => `| ${p.status} | \`${p.code}\` | ${p.description} |`)].join(
    '\n',
  );
}

/** The OpenAPI 3.1 document of a service: the platform's endpoints and the service's, as its router mounts them. */
export function openApiDocument(title: string, serviceEndpoints: readonly Endpoint[]): Json {
  const endpoints = [...PLATFORM_ENDPOINTS, ...serviceEndpoints];
  const paths: Record<string, Json> = {};
  for (const e of endpoints) paths[e.path] = { ...paths[e.path], [e.method]: operation(e) };
  return {
    openapi: '3.1.1',
    info: {
      title,
      version: '1',
      description: `The HTTP API of ${title}, one of Choreo's three services (docs/architecture.md §6).\n\nErrors are RFC 9457 \`application/problem+json\` bodies with a stable \`code\`. Every code:\n\n${codeTable(endpoints)}\n\nEvery path answers a method it does not serve with 405 and an \`Allow\` header, and OPTIONS with 204 and \`Allow\`.`,
    },
    paths,
    components: {
      securitySchemes: {
        adminBearer: { type: 'http', scheme: 'bearer', description: 'the ADMIN_TOKEN the service was started with' },
      },
    },
  };
}
