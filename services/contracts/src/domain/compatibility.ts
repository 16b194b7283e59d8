import { Type, types } from 'avsc';

/** Compatibility levels of the Confluent Schema Registry API that we use. */
export type CompatibilityLevel =
  | 'BACKWARD'
  | 'FORWARD'
  | 'FULL'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD_TRANSITIVE'
  | 'FULL_TRANSITIVE';

/** One reason a schema cannot replace an earlier one, naming the field (JSON Pointer). */
export interface CompatibilityProblem {
  readonly against: string;
  readonly direction: 'new reader, old writer' | 'old reader, new writer';
  readonly path: string;
  readonly message: string;
}

/** Why `reader` cannot read data written with `writer`, field by field; empty when it can. */
export function readProblems(
  reader: Type,
  writer: Type,
  path = '',
): Array<{ path: string; message: string }> {
  try {
    reader.createResolver(writer);
    return [];
  } catch (error) {
    if (reader instanceof types.RecordType && writer instanceof types.RecordType) {
      const problems: Array<{ path: string; message: string }> = [];
      for (const field of reader.fields) {
        const written =
          writer.field(field.name) ??
          field.aliases.map((a) => writer.field(a)).find((f) => f !== undefined);
        const fieldPath = `${path}/${field.name}`;
        if (!written) {
          if (field.defaultValue() === undefined) {
            problems.push({
              path: fieldPath,
              message: 'is required by the reader but missing in the writer and has no default',
            });
          }
          continue;
        }
        problems.push(...readProblems(field.type, written.type, fieldPath));
      }
      if (problems.length > 0) return problems;
    }
    return [{ path: path || '/', message: (error as Error).message }];
  }
}

/** Which earlier versions a level compares against, and in which directions. */
function plan(
  level: CompatibilityLevel,
  versions: number,
): { indexes: number[]; backward: boolean; forward: boolean } {
  const transitive = level.endsWith('_TRANSITIVE');
  const indexes = transitive ? [...Array(versions).keys()] : versions > 0 ? [versions - 1] : [];
  return {
    indexes,
    backward: level.startsWith('BACKWARD') || level.startsWith('FULL'),
    forward: level.startsWith('FORWARD') || level.startsWith('FULL'),
  };
}

/**
 * Checks a candidate schema against earlier versions (oldest first) at `level`, as the
 * registry would, and names each breaking field. FULL_TRANSITIVE: every earlier writer is
 * readable by the candidate, and every earlier reader can read the candidate.
 */
export function checkCompatibility(
  candidate: object,
  earlier: ReadonlyArray<{ label: string; schema: object }>,
  level: CompatibilityLevel = 'FULL_TRANSITIVE',
): CompatibilityProblem[] {
  const next = Type.forSchema(candidate as never);
  const { indexes, backward, forward } = plan(level, earlier.length);
  const problems: CompatibilityProblem[] = [];
  for (const i of indexes) {
    const { label, schema } = earlier[i]!;
    const old = Type.forSchema(schema as never);
    if (backward) {
      for (const p of readProblems(next, old))
        problems.push({ against: label, direction: 'new reader, old writer', ...p });
    }
    if (forward) {
      for (const p of readProblems(old, next))
        problems.push({ against: label, direction: 'old reader, new writer', ...p });
    }
  }
  return problems;
}

/** One line per problem, as the gate prints them. */
export function describeProblem(subject: string, p: CompatibilityProblem): string {
  return `${subject}: field ${p.path} breaks ${p.direction} against ${p.against}: ${p.message}`;
}
