/** A stable error code a client may switch on, with the status it comes with; never renamed. */
export interface ProblemCode {
  readonly status: number;
  readonly code: string;
  readonly description: string;
}

export const problemCode = (status: number, code: string, description: string): ProblemCode => ({ status, code, description });

/** The codes the HTTP layer itself answers with, on every service. */
export const HTTP_PROBLEMS = {
  invalid: problemCode(400, 'REQUEST.INVALID', 'a path parameter, header or body field breaks the schema; `errors` lists each one'),
  malformedJson: problemCode(400, 'REQUEST.MALFORMED_JSON', 'the body is not valid JSON'),
  malformedUrl: problemCode(400, 'REQUEST.MALFORMED_URL', 'the path holds a malformed percent-encoding'),
  malformed: problemCode(400, 'REQUEST.MALFORMED', 'the request could not be read as HTTP'),
  adminToken: problemCode(401, 'AUTH.ADMIN_TOKEN_REQUIRED', 'the admin bearer token is missing or wrong'),
  routeNotFound: problemCode(404, 'HTTP.ROUTE_NOT_FOUND', 'no route has this path'),
  methodNotAllowed: problemCode(405, 'HTTP.METHOD_NOT_ALLOWED', 'the path exists but not with this method; `Allow` lists those it has'),
  tooLarge: problemCode(413, 'REQUEST.TOO_LARGE', 'the body is larger than 64 kB'),
  urlTooLong: problemCode(414, 'REQUEST.URL_TOO_LONG', 'the URL is longer than 2,048 bytes'),
  unsupportedMediaType: problemCode(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'the body is not application/json'),
  unsupportedEncoding: problemCode(
    415,
    'REQUEST.UNSUPPORTED_ENCODING',
    'the body has a charset or content encoding the service does not read',
  ),
  headersTooLarge: problemCode(431, 'REQUEST.HEADERS_TOO_LARGE', 'the request line and headers exceed 16 kB'),
  internal: problemCode(500, 'INTERNAL', 'an unexpected error occurred'),
} as const;
