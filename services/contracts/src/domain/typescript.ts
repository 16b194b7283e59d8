/**
 * Generates TypeScript declarations from Avro schemas, so code and schemas cannot drift:
 * the generated file is committed and a test regenerates it and compares.
 * Mapping: record → interface, enum → union of string literals, ["null", T] → T | null,
 * array → T[], map → Record<string, T>, int/long/float/double → number, bytes/fixed →
 * Buffer; logical types keep their underlying type (timestamps are epoch milliseconds).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** TypeScript declarations for every named type of `schemas`, in order of first definition. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export function generateTypeScript(schemas: readonly Json[]): string {
  const declarations = new Map<string, string>();

  const typeOf = (schema: Json, namespace: string): string => {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? shortName(schema);
    if (Array.isArray(schema)) return schema.map((s) => typeOf(s, namespace)).join(' | ');
    if (schema === null || typeof schema !== 'object')
      throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);
    const type = schema.type as string;
    const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    if (type === 'record' || type === 'error') {
      const name = shortName(text(schema.name));
      if (!declarations.has(name)) {
        declarations.set(name, '');
        const fields = (schema.fields as Array<{ [k: string]: Json }>).map((f) => {
          const doc =
            typeof f.doc === 'string' ? `  /** ${f.doc.replace(/\*\//g, '* /')} */\n` : '';
          return `${doc}  ${text(f.name)}: ${typeOf(f.type ?? null, ns)};`;
        });
        const doc =
          typeof schema.doc === 'string' ? `/** ${schema.doc.replace(/\*\//g, '* /')} */\n` : '';
        declarations.set(name, `${doc}export interface ${name} {\n${fields.join('\n')}\n}`);
      }
      return name;
    }
    if (type === 'enum') {
      const name = shortName(text(schema.name));
      if (!declarations.has(name)) {
        const symbols = (schema.symbols as string[]).map((s) => `'${s}'`).join(' | ');
        const doc =
          typeof schema.doc === 'string' ? `/** ${schema.doc.replace(/\*\//g, '* /')} */\n` : '';
        declarations.set(name, `${doc}export type ${name} = ${symbols};`);
      }
      return name;
    }
    if (type === 'fixed') return 'Buffer';
    if (type === 'array') return `Array<${typeOf(schema.items ?? null, ns)}>`;
    if (type === 'map') return `Record<string, ${typeOf(schema.values ?? null, ns)}>`;
    return typeOf(type, ns);
  };

  for (const schema of schemas) typeOf(schema, '');
  return [
    '// Generated from schemas/*.avsc by `node services/contracts/dist/cli.js types`. Do not edit.',
    '',
    [...declarations.values()].join('\n\n'),
    '',
  ].join('\n');
}
