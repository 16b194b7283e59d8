/**
 * When a case's personal data is to be erased (docs/PRIVACY.md): a configurable time
 * after the case was closed (RESOLVED or WITHDRAWN; 30 days by default), or at once when
 * an operator erases it. Pure.
 */

/** The default time a closed case's personal data is kept: 30 days. */
export const DEFAULT_RETENTION_MS = 30 * 86_400_000;

/** When the data key of a case closed at `closedAt` is to be destroyed. */
export function erasureDueAt(closedAt: number, retentionMs: number): number {
  if (!Number.isFinite(closedAt) || !Number.isFinite(retentionMs) || retentionMs < 0)
    throw new RangeError('closedAt and retentionMs must be finite, retentionMs not negative');
  return closedAt + retentionMs;
}

/** The cases of `schedule` (case id to due time) due at `now`, earliest first. */
export function dueForErasure(schedule: ReadonlyMap<string, number>, now: number): string[] {
  return [...schedule]
    .filter(([, due]) => due <= now)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([caseId]) => caseId);
}
