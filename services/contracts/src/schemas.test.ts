import { readFileSync } from 'node:fs';
import { Type } from 'avsc';
import { GENERATED_TYPES, loadCatalogue } from './catalogue';
import { checkCompatibility } from './domain/compatibility';
import { generateTypeScript } from './domain/typescript';
import { runGate } from './gate';

const catalogue = loadCatalogue();
const byName = (name: string) => catalogue.find((e) => e.fullName === `eu.alertexchange.${name}`);

describe('the schemas in schemas/', () => {
  it('are the ones the exchange speaks', () => {
    expect(catalogue.map((e) => e.fullName.replace('eu.alertexchange.', '')).sort()).toEqual(
      [
        'Acknowledgement',
        'AlertEvent',
        'ApiKey',
        'AuditCheckpoint',
        'AuditRecord',
        'CaseDataKey',
        'CaseErasure',
        'Delivery',
        'DeliveryReplay',
        'DeliveryStatus',
        'Escalation',
        'Organisation',
        'PersonalDataRead',
        'RoutedCase',
        'RoutingRecord',
        'WebhookSecrets',
      ].sort(),
    );
  });

  it('pass the compatibility gate: house rules kept, FULL_TRANSITIVE with every earlier version, history up to date', () => {
    expect(runGate(catalogue)).toEqual([]);
  });

  it('the gate catches a deliberately breaking edit and names the field', () => {
    const alert = byName('AlertEvent')!;
    const broken = {
      ...alert.schema,
      fields: [
        ...(alert.schema.fields as object[]),
        { name: 'mandatoryNewThing', type: 'string', doc: 'x' },
      ],
    };
    const problems = runGate([
      {
        ...alert,
        schema: broken,
        history: [...alert.history, { label: 'current', schema: alert.schema }],
      },
    ]);
    expect(problems.join('\n')).toMatch(/field \/mandatoryNewThing breaks new reader, old writer/);
  });

  it('the TypeScript types in src/generated are generated from these schemas (regenerate with `cli.js types`)', () => {
    expect(readFileSync(GENERATED_TYPES, 'utf8')).toBe(
      generateTypeScript(catalogue.map((e) => e.schema as never)),
    );
  });
});

describe('old and new readers and writers of an alert event', () => {
  const current = byName('AlertEvent')!.schema as {
    fields: Array<{ name: string; type: unknown }>;
  };
  // A plausible next version: one more optional field and one more event type symbol.
  const next = JSON.parse(
    JSON.stringify({
      ...current,
      fields: [
        ...current.fields,
        { name: 'futureField', type: ['null', 'string'], default: null, doc: 'added later' },
      ],
    }).replace('"WITHDRAWN",', '"WITHDRAWN","REOPENED",'),
  ) as object;

  it('the next version passes the gate against the current one', () => {
    expect(checkCompatibility(next, [{ label: 'current', schema: current }])).toEqual([]);
  });

  it('an old reader reads a newer writer: unknown fields are skipped, an unknown event type reads as UNKNOWN', () => {
    const oldType = Type.forSchema(current as never);
    const newType = Type.forSchema(next as never);
    const sample = newType.random() as unknown as Record<string, unknown>;
    sample.eventType = 'REOPENED';
    sample.futureField = 'x';
    const read = oldType.fromBuffer(
      newType.toBuffer(sample),
      oldType.createResolver(newType),
    ) as Record<string, unknown>;
    expect(read.eventType).toBe('UNKNOWN');
    expect(read).not.toHaveProperty('futureField');
    expect(read.caseId).toBe(sample.caseId);
  });

  it('a newer reader reads an old writer: the new field takes its default', () => {
    const oldType = Type.forSchema(current as never);
    const newType = Type.forSchema(next as never);
    const sample = oldType.random() as unknown as Record<string, unknown>;
    const read = newType.fromBuffer(
      oldType.toBuffer(sample),
      newType.createResolver(oldType),
    ) as Record<string, unknown>;
    expect(read.futureField).toBeNull();
    expect(read.eventId).toBe(sample.eventId);
  });
});
