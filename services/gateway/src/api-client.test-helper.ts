import { call, OPERATOR_KEY, uniqueName } from '@alert-exchange/testing';

// call, Answer and example live in @alert-exchange/testing (the chaos harness and the
// benchmark use them too); re-exported for the gateway's suites.
export { call, example, type Answer } from '@alert-exchange/testing';

/** An organisation enrolled for a test, with its API key. */
export interface Member {
  readonly id: string;
  readonly key: string;
}

/** Creates an organisation through the admin API and issues it a key. */
export async function enrol(
  base: string,
  options: {
    prefix: string;
    roles: string[];
    country: string;
    coverage?: string[];
    categories?: string[];
  },
): Promise<Member> {
  const id = uniqueName(options.prefix);
  const created = await call(base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
    id,
    name: `${options.prefix} (test)`,
    country: options.country,
    roles: options.roles,
    coverage: {
      countries: options.coverage ?? [options.country],
      categories: options.categories ?? [],
    },
    languages: ['en'],
    delivery: { mode: 'pull' },
    ackWithin: 'PT15M',
  });
  if (created.status !== 201)
    throw new Error(`enrol ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const issued = await call(base, OPERATOR_KEY, 'POST', `/v1/admin/organisations/${id}/keys`);
  if (issued.status !== 201) throw new Error(`key for ${id}: ${issued.status}`);
  return { id, key: (issued.body as { key: string }).key };
}
