import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { bodyTooLarge, declaresTooLargeBody, watchBodySize } from './body-limit';

function request(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  return req;
}

describe('declaresTooLargeBody', () => {
  it('compares the declared length with the limit', () => {
    expect(declaresTooLargeBody(request({ 'content-length': '10' }), 10)).toBe(false);
    expect(declaresTooLargeBody(request({ 'content-length': '11' }), 10)).toBe(true);
    expect(declaresTooLargeBody(request({ 'transfer-encoding': 'chunked' }), 10)).toBe(false);
  });

  it('names the configured limit in the 413', () => {
    expect(bodyTooLarge(2048)).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body exceeds the limit of 2048 bytes',
    });
  });
});

describe('watchBodySize', () => {
  it('does not start the flow: chunks wait for the pipe, which sees them all', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const exceeded = jest.fn();
    watchBodySize(req, 100, exceeded);
    req.push(Buffer.from('early'));
    await new Promise((resolve) => setImmediate(resolve));
    const sink = new PassThrough();
    const received: string[] = [];
    sink.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    req.pipe(sink);
    req.push(Buffer.from('late'));
    req.push(null);
    await new Promise((resolve) => sink.on('end', resolve));
    expect(received.join('')).toBe('earlylate');
    expect(exceeded).not.toHaveBeenCalled();
  });

  it('reports once when the streamed body passes the limit', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const exceeded = jest.fn();
    watchBodySize(req, 10, exceeded);
    req.resume();
    req.push(Buffer.alloc(10));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exceeded).not.toHaveBeenCalled();
    req.push(Buffer.alloc(1));
    req.push(Buffer.alloc(5));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exceeded).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a declared length', { 'content-length': '5' }],
    ['a request without a body', {}],
  ])('leaves %s alone', (_, headers) => {
    const req = request(headers);
    watchBodySize(req, 1, jest.fn());
    expect(req.listenerCount('data')).toBe(0);
    expect(req.isPaused()).toBe(false);
  });
});
