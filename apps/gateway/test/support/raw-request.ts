import * as http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Called with the open request; it writes (and usually ends) the body. */
  write?: (req: http.ClientRequest) => void | Promise<void>;
}

/**
 * A plain node:http request for what supertest cannot express: chunked bodies written step by step and
 * a Content-Length that is announced but never sent.
 */
export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(`${baseUrl}${options.path}`, {
      method: options.method,
      headers: options.headers,
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        });
        req.destroy();
      });
    });
    Promise.resolve(options.write ? options.write(req) : req.end()).catch(reject);
  });
}
