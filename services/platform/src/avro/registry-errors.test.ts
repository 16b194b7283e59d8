import { PoisonMessageError, UnavailableError } from '../errors';
import { classifyRegistryError } from './index';

/** An error as @kafkajs/confluent-schema-registry throws it (read off the library). */
const responseError = (status: number, text: string): Error =>
  Object.assign(new Error(`Confluent_Schema_Registry - Error, status ${status}: ${text}`), {
    name: 'ResponseError',
    status,
  });

describe('classifyRegistryError', () => {
  it.each<[string, unknown, typeof PoisonMessageError | typeof UnavailableError]>([
    // The registry did not answer: the record may be fine, read it again later.
    [
      'connection refused (reported by the library as 400)',
      responseError(400, 'connect ECONNREFUSED 127.0.0.1:8081'),
      UnavailableError,
    ],
    ['connection reset', responseError(400, 'read ECONNRESET'), UnavailableError],
    ['socket hang up', responseError(400, 'socket hang up'), UnavailableError],
    ['a time-out', responseError(400, 'Timeout (10000ms)'), UnavailableError],
    [
      'a name that does not resolve',
      responseError(400, 'getaddrinfo ENOTFOUND registry'),
      UnavailableError,
    ],
    ['a 503 of the registry', responseError(503, 'Service Unavailable'), UnavailableError],
    ['a 500 of the registry', responseError(500, 'Internal Server Error'), UnavailableError],
    [
      'a plain network error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      UnavailableError,
    ],
    // The registry answered about the record: it can never be read.
    ['an unknown schema id', responseError(404, 'Schema 42 not found'), PoisonMessageError],
    ['a 400 the registry itself gave', responseError(400, 'Invalid schema'), PoisonMessageError],
    ['a 422', responseError(422, 'Unprocessable'), PoisonMessageError],
    ['a schema avsc cannot read', new TypeError('invalid type: "nope"'), PoisonMessageError],
    ['bytes out of range for the schema', new RangeError('index out of range'), PoisonMessageError],
  ])('%s', (_name, cause, kind) => {
    const classified = classifyRegistryError(cause, 'decode a message written with schema 8');
    expect(classified).toBeInstanceOf(kind);
    expect(classified.message).toMatch(/^could not decode a message written with schema 8: /);
  });
});
