import { NotAllowedError } from '@alert-exchange/platform';
import { exchangeToCap, type CaseView } from './domain/exchange-to-cap';
import { writeCap } from './domain/write-cap';
import type { CaseExchange } from './exchange/case-exchange';
import type { MessageStore } from './store/message-store';

/**
 * The case `caseId` as a CAP 1.2 document addressed to `recipients`: read through the
 * exchange (the originator's or an operator's full view; a recipient's minimised view is
 * not exported), with the CAP identity of the messages it was imported from.
 */
export async function exportCap(
  caseId: string,
  options: {
    exchange: CaseExchange;
    store: MessageStore;
    recipients: readonly string[];
    languages?: readonly string[];
    sender: string;
  },
): Promise<string> {
  const view = await options.exchange.getCase(caseId);
  if (!('case' in view))
    throw new NotAllowedError(
      'Only the organisation that raised the case or an operator can export it as CAP',
    );
  return writeCap(
    exchangeToCap(view as CaseView, {
      recipients: options.recipients,
      languages: options.languages,
      sender: options.sender,
      history: options.store.history(caseId),
    }),
  );
}
