import { loadCatalogue, registerCatalogue } from '@alert-exchange/contracts';
import { testStack } from '@alert-exchange/testing';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

async function get(path: string): Promise<unknown> {
  const response = await fetch(`${testStack().schemaRegistryUrl}${path}`, {
    headers: { accept: CONTENT_TYPE },
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('the registration step', () => {
  const catalogue = loadCatalogue();

  it('has registered every schema under its record name at FULL_TRANSITIVE (the test setup runs it)', async () => {
    const subjects = (await get('/subjects')) as string[];
    for (const entry of catalogue) {
      expect(subjects).toContain(entry.subject);
      expect(await get(`/config/${encodeURIComponent(entry.subject)}`)).toMatchObject({
        compatibilityLevel: 'FULL_TRANSITIVE',
      });
    }
  });

  it('is idempotent: running it again keeps every id', async () => {
    const first = await registerCatalogue(testStack().schemaRegistryUrl, catalogue);
    const second = await registerCatalogue(testStack().schemaRegistryUrl, catalogue);
    expect(second).toEqual(first);
  });

  it('fails with a clear message naming the schema when the registry refuses a breaking change', async () => {
    const alert = catalogue.find((e) => e.fullName === 'eu.alertexchange.AlertEvent')!;
    const broken = {
      ...alert,
      schema: {
        ...alert.schema,
        fields: [
          ...(alert.schema.fields as object[]),
          { name: 'breaking', type: 'string', doc: 'x' },
        ],
      },
    };
    await expect(registerCatalogue(testStack().schemaRegistryUrl, [broken])).rejects.toThrow(
      /refused .*alert-event\.avsc under eu\.alertexchange\.AlertEvent \(409: incompatible/,
    );
  });
});
