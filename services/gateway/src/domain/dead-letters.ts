/**
 * Dead-lettered deliveries as operators see and replay them: the dispatcher gives up on a
 * delivery after its retry schedule and files it (Redis `ax:dead-letters`); an operator
 * lists them and asks for some to be sent again.
 */
export interface DeadLetter {
  readonly deliveryId: string;
  readonly caseId: string;
  readonly recipientId: string;
  readonly eventType: string;
  /** ISO-8601, as the dispatcher wrote it. */
  readonly deadLetteredAt: string;
  readonly attempts: number;
  /** Why the last attempt failed (status=503, timeout, ...): never personal data. */
  readonly lastError: string;
}

/** Which dead letters an operator means; each given member narrows the selection. */
export interface DeadLetterFilter {
  readonly deliveryId?: string | undefined;
  readonly recipientId?: string | undefined;
  /** Epoch milliseconds: dead-lettered at or after. */
  readonly since?: number | undefined;
}

const timeOf = (letter: DeadLetter): number => Date.parse(letter.deadLetteredAt);

/** The dead letters `filter` selects, newest first (ties by deliveryId, for a stable answer). */
export function selectDeadLetters(
  letters: readonly DeadLetter[],
  filter: DeadLetterFilter,
): DeadLetter[] {
  return letters
    .filter(
      (letter) =>
        (filter.deliveryId === undefined || letter.deliveryId === filter.deliveryId) &&
        (filter.recipientId === undefined || letter.recipientId === filter.recipientId) &&
        (filter.since === undefined || timeOf(letter) >= filter.since),
    )
    .sort((a, b) => timeOf(b) - timeOf(a) || a.deliveryId.localeCompare(b.deliveryId));
}
