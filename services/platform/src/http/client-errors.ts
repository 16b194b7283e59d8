import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidRequest, PROBLEM_BASE, type ProblemDetails } from './problem';

/**
 * The problem for a request Node's HTTP parser refused before any middleware ran: a head
 * (request line and headers) past `--max-http-header-size` is 431, anything else the
 * parser could not read is 400. Neither echoes what was sent.
 */
export function clientErrorProblem(code: string | undefined): ProblemDetails {
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      type: PROBLEM_BASE + 'request-header-fields-too-large',
      title: 'The request headers are too large',
      status: 431,
      detail: 'The request line and headers exceed the size limit (16 KiB).',
      errors: [{ path: '/headers', message: 'must be smaller than 16 KiB with the URL' }],
    };
  return invalidRequest('The request is not valid HTTP/1.1.', [
    { path: '', message: 'is not valid HTTP/1.1' },
  ]);
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  431: 'Request Header Fields Too Large',
};

/**
 * Answers requests Node's parser refuses (contract: every error is problem+json) instead
 * of Node's bare `431` or `400` with no body. The connection is closed after the answer,
 * since the parser cannot tell where the next request would begin.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem = clientErrorProblem(error.code);
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${REASONS[problem.status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
