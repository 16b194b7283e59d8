/**
 * What may be attempted, per recipient, without looking at every delivery: the head of
 * each (recipient, case) lane that order lets go, by when its next attempt is due. Due
 * ones come out lowest rank first (the order lanes were first seen: CaseOrder's
 * `deliverable`), the others wait in a heap by due time. Taking costs O(log n), so a backlog
 * of n deliveries no longer costs O(n) per attempt. Pure: the edge says what changed.
 */

/** A lane head that may be attempted from `dueAt` on. */
export interface DueEntry {
  /** The lane's key (laneKey): one entry per lane. */
  readonly lane: string;
  readonly deliveryId: string;
  readonly recipientId: string;
  /** Lower goes first among those due. */
  readonly rank: number;
  /** Not before this (epoch ms); null: at once. */
  readonly dueAt: number | null;
}

/** A binary min-heap under `less`. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const { items, less } = this;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const { items, less } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < items.length && less(items[l]!, items[least]!)) least = l;
      if (r < items.length && less(items[r]!, items[least]!)) least = r;
      if (least === i) break;
      [items[i], items[least]] = [items[least]!, items[i]!];
      i = least;
    }
    return top;
  }
}

const byRank = (a: DueEntry, b: DueEntry): boolean =>
  a.rank < b.rank || (a.rank === b.rank && a.deliveryId < b.deliveryId);
const byDueAt = (a: DueEntry, b: DueEntry): boolean =>
  (a.dueAt ?? -Infinity) < (b.dueAt ?? -Infinity) ||
  ((a.dueAt ?? -Infinity) === (b.dueAt ?? -Infinity) && byRank(a, b));

interface RecipientQueue {
  readonly due: MinHeap<DueEntry>;
  readonly later: MinHeap<DueEntry>;
}

/**
 * The lane heads that may be attempted, one entry per lane. Replaced and removed entries
 * stay in the heaps until they come out, and are then passed over.
 */
export class DueQueue {
  private readonly current = new Map<string, DueEntry>();
  private readonly queues = new Map<string, RecipientQueue>();

  /** Entries held (one per lane). */
  get size(): number {
    return this.current.size;
  }

  /** `entry` for its lane, instead of what the lane had. */
  put(entry: DueEntry): void {
    this.current.set(entry.lane, entry);
    let queue = this.queues.get(entry.recipientId);
    if (!queue) {
      queue = { due: new MinHeap(byRank), later: new MinHeap(byDueAt) };
      this.queues.set(entry.recipientId, queue);
    }
    queue.later.push(entry);
  }

  /** The lane has nothing that may be attempted now (its head is under way, or it is empty). */
  remove(lane: string): void {
    this.current.delete(lane);
  }

  /** Recipients that may have something due. */
  recipients(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Takes out the entry of `recipientId` due at `now` with the lowest rank; undefined when
   * none is due. An entry taken but not attempted is to be put back.
   */
  take(recipientId: string, now: number): DueEntry | undefined {
    const queue = this.queues.get(recipientId);
    if (!queue) return undefined;
    const live = (e: DueEntry): boolean => this.current.get(e.lane) === e;
    for (let next = queue.later.peek(); next; next = queue.later.peek()) {
      if (live(next) && (next.dueAt ?? -Infinity) > now) break;
      queue.later.pop();
      if (live(next)) queue.due.push(next);
    }
    for (let next = queue.due.pop(); next; next = queue.due.pop()) {
      if (!live(next)) continue;
      this.current.delete(next.lane);
      return next;
    }
    if (queue.later.size === 0) this.queues.delete(recipientId);
    return undefined;
  }
}
