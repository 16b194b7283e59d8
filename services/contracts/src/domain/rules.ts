/**
 * House rules every schema keeps beyond Avro validity, so that evolution stays safe:
 * a doc on every record and field, a default on every enum (a new symbol never breaks an
 * old reader), optional fields as a union with null first and default null.
 */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every violation of the house rules in a raw .avsc schema. */
export function checkHouseRules(schema: Json, path = ''): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (Array.isArray(schema)) {
    schema.forEach((branch, i) => out.push(...checkHouseRules(branch, `${path}/${i}`)));
    return out;
  }
  if (!isObject(schema)) return out;
  const type = schema.type;
  if (type === 'record') {
    if (typeof schema.doc !== 'string' || schema.doc.length === 0)
      out.push({ path: path || '/', message: `record ${text(schema.name)} has no doc` });
    const fields = Array.isArray(schema.fields) ? schema.fields : [];
    for (const field of fields) {
      if (!isObject(field)) continue;
      const fieldPath = `${path}/${text(field.name)}`;
      if (typeof field.doc !== 'string' || field.doc.length === 0)
        out.push({ path: fieldPath, message: 'has no doc' });
      const fieldType = field.type;
      if (Array.isArray(fieldType) && fieldType.includes('null')) {
        if (fieldType[0] !== 'null')
          out.push({ path: fieldPath, message: 'is optional but null is not the first branch' });
        if (!('default' in field) || field.default !== null)
          out.push({ path: fieldPath, message: 'is optional but its default is not null' });
      }
      if (isObject(fieldType) && fieldType.type === 'array' && !('default' in field)) {
        out.push({ path: fieldPath, message: 'is an array without a default (use [])' });
      }
      out.push(...checkHouseRules(fieldType ?? null, fieldPath));
    }
  } else if (type === 'enum') {
    const symbols = Array.isArray(schema.symbols) ? schema.symbols : [];
    if (typeof schema.default !== 'string' || !symbols.includes(schema.default)) {
      out.push({
        path: path || '/',
        message: `enum ${text(schema.name)} has no default among its symbols`,
      });
    }
  } else if (type === 'array') {
    out.push(...checkHouseRules(schema.items ?? null, `${path}/items`));
  } else if (type === 'map') {
    out.push(...checkHouseRules(schema.values ?? null, `${path}/values`));
  }
  return out;
}
