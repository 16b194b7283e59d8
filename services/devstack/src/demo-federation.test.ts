import {
  DEMO_WEBHOOK_ORGANISATIONS,
  DEMO_WEBHOOK_RECEIVER,
  demoFederation,
} from './demo-federation';

describe('the demo federation', () => {
  const orgs = demoFederation();
  const withRole = (role: string) => orgs.filter((o) => o.roles.includes(role));

  it('is shaped like the real one', () => {
    expect(withRole('hotline')).toHaveLength(32);
    expect(new Set(withRole('hotline').map((o) => o.country)).size).toBe(32);
    expect(withRole('member-ngo')).toHaveLength(31);
    expect(new Set(withRole('member-ngo').map((o) => o.country)).size).toBe(26);
    expect(withRole('mediator')).toHaveLength(1);
    expect(new Set(withRole('mediator')[0]!.coverage.countries).size).toBe(40);
    expect(withRole('operator')).toHaveLength(1);
    expect(withRole('auditor')).toHaveLength(1);
  });

  it('uses unique, valid ids and real upper-case country codes', () => {
    expect(new Set(orgs.map((o) => o.id)).size).toBe(orgs.length);
    for (const o of orgs) {
      expect(o.id).toMatch(/^[a-z0-9-]{3,64}$/);
      expect([o.country, ...o.coverage.countries].every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    }
  });

  it('has two member NGOs receiving by webhook at the loopback demo receiver; the others pull', () => {
    const webhooks = orgs.filter((o) => o.delivery.mode === 'webhook');
    expect(webhooks.map((o) => o.id).sort()).toEqual([...DEMO_WEBHOOK_ORGANISATIONS].sort());
    expect(webhooks.map((o) => o.roles)).toEqual([['member-ngo'], ['member-ngo']]);
    for (const o of webhooks) {
      expect(o.delivery).toEqual({ mode: 'webhook', url: `${DEMO_WEBHOOK_RECEIVER}/${o.id}` });
      expect(o.delivery).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) });
    }
  });

  it('points webhook organisations at the given receiver', () => {
    const hotline = demoFederation('http://127.0.0.1:9999/hooks').find(
      (o) => o.id === 'hotline-de',
    )!;
    expect(hotline.delivery).toEqual({
      mode: 'webhook',
      url: 'http://127.0.0.1:9999/hooks/hotline-de',
    });
  });
});
