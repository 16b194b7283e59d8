/**
 * A case's audit trail as a timeline an operator reads at a glance (`exchange trace`):
 * one line per fact, in the order things happened, with who did what to whom and why.
 * Pure: the trail comes from `GET /v1/audit/cases/{caseId}`.
 */

import type { TrailEntry } from '@alert-exchange/client';

export type { TrailEntry };

const KIND_WIDTH = 18;

/** What an entry says, beyond its kind and actor. */
export function describe(entry: TrailEntry): string {
  const d = entry.detail;
  const to = entry.recipient ? ` → ${entry.recipient}` : '';
  switch (entry.kind) {
    case 'RECEIVED':
    case 'PUBLISHED':
    case 'RESOLVED':
    case 'WITHDRAWN':
      return `${d.eventType ?? '?'} (${[d.category, d.urgency, d.caseCountry].filter(Boolean).join(', ')})`;
    case 'ROUTED':
      return d.recipients === '0'
        ? `${d.eventType ?? '?'} to no one`
        : `${d.eventType ?? '?'}${to} at ${d.viewLevel ?? '?'}: ${d.reasons ?? ''}`;
    case 'ATTEMPTED':
      return `${to.trim()} attempt ${d.attempt ?? '?'}: ${answerOf(d)}${d.nextAttemptAt ? `, next at ${d.nextAttemptAt}` : ''}`;
    case 'DELIVERED':
      return `${to.trim()} attempt ${d.attempt ?? '?'}: ${answerOf(d)}`;
    case 'ACKNOWLEDGED':
      return `${d.status ?? '?'}`;
    case 'ESCALATED':
      return d.closed === 'true'
        ? `${to.trim()} closed: acknowledged after the escalation`
        : `${to.trim()} ${d.reason ?? ''}`.trim();
    case 'DEAD_LETTERED':
      return `${to.trim()} after ${d.attempt ?? '?'} attempts: ${d.error ?? 'no error recorded'}`;
    case 'REPLAYED':
      return `${to.trim()} sent again`.trim();
    case 'PERSONAL_DATA_READ':
      return `case shown via ${d.via ?? '?'} at ${d.viewLevel ?? '?'}`;
    default:
      return Object.entries(d)
        .filter(([k]) => k !== 'source')
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
  }
}

function answerOf(d: Record<string, string>): string {
  const status = d.httpStatus ? `HTTP ${d.httpStatus}` : (d.error ?? 'no answer');
  return d.latencyMs ? `${status} in ${d.latencyMs} ms` : status;
}

/**
 * The timeline: entries ordered by time (then by seq, the order they were recorded),
 * one line each: `<at>  <KIND>  <actor>  <what>`, and the delivery id when there is one.
 */
export function timeline(entries: readonly TrailEntry[]): string[] {
  return [...entries]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq)
    .map((e) => {
      const delivery = e.deliveryId ? `  [delivery ${e.deliveryId}]` : '';
      return `${e.at}  ${e.kind.padEnd(KIND_WIDTH)}${e.actor.padEnd(24)}${describe(e)}${delivery}`.trimEnd();
    });
}
