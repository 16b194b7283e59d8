/**
 * What cannot be imported, named by an XPath-like path to the CAP element
 * (`/alert/info[1]/urgency`): the `errors` of an RFC 9457 problem.
 */
export interface CapProblem {
  readonly path: string;
  readonly message: string;
}

/** A result that is either a value or the problems that prevented it. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly CapProblem[] };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failed = <T>(...problems: CapProblem[]): Outcome<T> => ({ ok: false, problems });
