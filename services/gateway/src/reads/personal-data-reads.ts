import { randomUUID } from 'node:crypto';
import type { PersonalDataRead } from '@alert-exchange/contracts';
import type { RecordPublisher } from '../kafka/record-publisher';
import { personalDataReads, type ReadContext, type ShownCase } from '../domain/personal-data-reads';

export const PERSONAL_DATA_READ_SUBJECT = 'eu.alertexchange.PersonalDataRead';

/**
 * The record of every time the gateway shows an organisation a case (audit issue 7): one
 * PersonalDataRead per case on the personal-data-reads topic, keyed by caseId, all of a
 * read in one send, acks=all. Routes call `record` before they send anything: when Kafka
 * does not take the records it throws an UnavailableError (503), and nothing is shown.
 */
export class PersonalDataReads {
  constructor(
    private readonly publisher: RecordPublisher<PersonalDataRead>,
    private readonly topic: string,
    private readonly ids: () => string = randomUUID,
    private readonly now: () => number = Date.now,
  ) {}

  async record(shown: readonly ShownCase[], read: Omit<ReadContext, 'at'>): Promise<void> {
    const records = personalDataReads(shown, { ...read, at: this.now() }, this.ids);
    await this.publisher.publishAll(
      this.topic,
      records.map((record) => ({ key: record.caseId, record })),
    );
  }
}
