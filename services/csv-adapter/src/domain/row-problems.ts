/**
 * What is wrong with a row, named by the file, its line (1 is the header) and the column
 * (the `errors` of the `<file>.errors.json` written beside a file with bad rows). The
 * message names the rule broken, never the value: a value may be the child's data.
 */
export interface RowProblem {
  readonly file: string;
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
}
