import { Writable } from 'node:stream';
import { createLogger } from './index';

/** A logger at debug writing its lines into `lines`. */
function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'debug', destination }) };
}

describe('log redaction', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an Authorization header', { headers: { authorization: 'Bearer axk_ngo-lu_s3cr3t-value' } }],
    [
      'a request’s headers',
      { req: { headers: { authorization: 'Bearer axk_ngo-lu_s3cr3t-value' } } },
    ],
    ['an API key', { apiKey: 'axk_ngo-lu_s3cr3t-value' }],
    ['a webhook secret one level down', { organisation: { webhookSecret: 'whsec_s3cr3t-value' } }],
    ['a list of secrets', { secrets: ['whsec_s3cr3t-value'] }],
    ['a password', { password: 's3cr3t-value' }],
    ['an alert', { alert: { child: { givenName: 's3cr3t-value' } } }],
    ['a child one level down', { event: { child: { givenName: 's3cr3t-value' } } }],
    ['a body', { body: '{"child":{"givenName":"s3cr3t-value"}}' }],
  ])('%s never reaches a line', (_name, fields) => {
    const { lines, logger } = capture();
    logger.info({ ...fields, caseId: 'case-1' }, 'Something happened');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('s3cr3t-value');
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).toContain('case-1');
  });

  it('identifiers and the message are kept', () => {
    const { lines, logger } = capture();
    logger.warn(
      { caseId: 'c-9', deliveryId: 'd-9', topic: 'alerts.lu', key: 'c-9' },
      'Dead-lettered',
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({
      caseId: 'c-9',
      deliveryId: 'd-9',
      topic: 'alerts.lu',
      key: 'c-9',
      msg: 'Dead-lettered',
      service: 'test',
    });
  });
});
