export const ERROR_BODY_KEYS = ['code', 'exception', 'http_method', 'message', 'status', 'uri'];

export interface ExpectedErrorBody {
  status: number;
  code: string;
  method: string;
  /** The request path without the query string. */
  uri: string;
  /** Exact text or an asymmetric matcher; any string when omitted. */
  message?: unknown;
  /** Exact value; any string when omitted. */
  exception?: string;
}

/** Asserts the unified error body of ARCHITECTURE §5: exactly its six members, served as JSON. */
export function expectErrorResponse(
  res: { status: number; body: unknown; headers: Record<string, string | string[] | undefined> },
  expected: ExpectedErrorBody,
): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status: expected.status,
    body: {
      message: expected.message ?? expect.any(String),
      exception: expected.exception ?? expect.any(String),
      code: expected.code,
      status: expected.status,
      http_method: expected.method,
      uri: expected.uri,
    },
  });
  expect(Object.keys(res.body as object).sort()).toEqual(ERROR_BODY_KEYS);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
}
