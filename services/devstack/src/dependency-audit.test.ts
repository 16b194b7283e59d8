import {
  allowlistProblems,
  judgeAudit,
  parsePnpmAudit,
  type Advisory,
  type AllowEntry,
} from './dependency-audit';

const advisory = (id: string, module: string, severity: Advisory['severity']): Advisory => ({
  id,
  module,
  severity,
  title: `${module} is vulnerable`,
  paths: [`services/gateway>${module}`],
});
const allow = (id: string, module: string, expires = '2027-06-30'): AllowEntry => ({
  id,
  module,
  reason: 'only reached by the test harness, never with outside input',
  expires,
});

const TODAY = '2026-12-04';
const HIGH = advisory('GHSA-aaaa-bbbb-cccc', 'body-parser', 'high');
const LOW = advisory('GHSA-low0-low0-low0', 'debug', 'low');
const MODERATE = advisory('GHSA-mod0-mod0-mod0', 'semver', 'moderate');
const CRITICAL = advisory('GHSA-crit-crit-crit', 'tar', 'critical');

describe('judgeAudit', () => {
  it.each<
    [
      string,
      Advisory[],
      AllowEntry[],
      {
        passed: boolean;
        failing: string[];
        accepted: string[];
        expired: string[];
        unused: string[];
        reported: string[];
      },
    ]
  >([
    [
      'nothing reported',
      [],
      [],
      { passed: true, failing: [], accepted: [], expired: [], unused: [], reported: [] },
    ],
    [
      'a high advisory, not accepted',
      [HIGH],
      [],
      { passed: false, failing: [HIGH.id], accepted: [], expired: [], unused: [], reported: [] },
    ],
    [
      'a moderate one fails too',
      [MODERATE],
      [],
      {
        passed: false,
        failing: [MODERATE.id],
        accepted: [],
        expired: [],
        unused: [],
        reported: [],
      },
    ],
    [
      'a low one is only reported',
      [LOW],
      [],
      { passed: true, failing: [], accepted: [], expired: [], unused: [], reported: [LOW.id] },
    ],
    [
      'a high one, accepted until later',
      [HIGH],
      [allow(HIGH.id, HIGH.module)],
      { passed: true, failing: [], accepted: [HIGH.id], expired: [], unused: [], reported: [] },
    ],
    [
      'accepted until today still counts',
      [HIGH],
      [allow(HIGH.id, HIGH.module, TODAY)],
      { passed: true, failing: [], accepted: [HIGH.id], expired: [], unused: [], reported: [] },
    ],
    [
      'an entry past its date fails',
      [HIGH],
      [allow(HIGH.id, HIGH.module, '2026-12-03')],
      {
        passed: false,
        failing: [HIGH.id],
        accepted: [],
        expired: [HIGH.id],
        unused: [],
        reported: [],
      },
    ],
    [
      'an entry for another module does not accept it',
      [HIGH],
      [allow(HIGH.id, 'express')],
      {
        passed: false,
        failing: [HIGH.id],
        accepted: [],
        expired: [],
        unused: [HIGH.id],
        reported: [],
      },
    ],
    [
      'an entry no advisory matches is unused, not a failure',
      [],
      [allow(CRITICAL.id, CRITICAL.module)],
      { passed: true, failing: [], accepted: [], expired: [], unused: [CRITICAL.id], reported: [] },
    ],
    [
      'a mix',
      [HIGH, LOW, CRITICAL, MODERATE],
      [allow(CRITICAL.id, CRITICAL.module)],
      {
        passed: false,
        failing: [HIGH.id, MODERATE.id],
        accepted: [CRITICAL.id],
        expired: [],
        unused: [],
        reported: [LOW.id],
      },
    ],
  ])('%s', (_name, advisories, allowlist, want) => {
    const got = judgeAudit(advisories, allowlist, TODAY);
    expect({
      passed: got.passed,
      failing: got.failing.map((a) => a.id),
      accepted: got.accepted.map((a) => a.advisory.id),
      expired: got.expired.map((e) => e.id),
      unused: got.unused.map((e) => e.id),
      reported: got.reported.map((a) => a.id),
    }).toEqual(want);
  });
});

describe('allowlistProblems', () => {
  it.each<[string, unknown, string[]]>([
    ['the empty list', { accepted: [] }, []],
    ['a complete entry', { accepted: [allow(HIGH.id, HIGH.module)] }, []],
    ['not an object', [], ['must be an object with an "accepted" array']],
    [
      'an entry without a reason',
      { accepted: [{ ...allow(HIGH.id, HIGH.module), reason: ' ' }] },
      ['accepted[0].reason is missing'],
    ],
    [
      'an entry without a date',
      { accepted: [{ id: 'x', module: 'y', reason: 'z' }] },
      ['accepted[0].expires is missing'],
    ],
    [
      'a date that is not one',
      { accepted: [{ ...allow(HIGH.id, HIGH.module), expires: 'next year' }] },
      ['accepted[0].expires must be a date, YYYY-MM-DD'],
    ],
  ])('%s', (_name, value, problems) => {
    expect(allowlistProblems(value)).toEqual(problems);
  });
});

describe('parsePnpmAudit', () => {
  it('reads the advisories of an npm-audit-v1 report', () => {
    const output = JSON.stringify({
      actions: [],
      advisories: {
        '1099517': {
          github_advisory_id: 'GHSA-qwcr-r2fm-qrc7',
          module_name: 'body-parser',
          severity: 'high',
          title: 'body-parser vulnerable to denial of service when url encoding is enabled',
          findings: [{ version: '1.20.2', paths: ['services/gateway>express>body-parser'] }],
        },
        '1000': { module_name: 'odd', severity: 'unheard-of', title: 'no GHSA id' },
      },
      metadata: { vulnerabilities: { high: 1 } },
    });
    expect(parsePnpmAudit(output)).toEqual({
      // Keyed by id: in the order of the ids.
      advisories: [
        // An unknown severity counts as the worst, so it cannot slip through.
        { id: '1000', module: 'odd', severity: 'critical', title: 'no GHSA id', paths: [] },
        {
          id: 'GHSA-qwcr-r2fm-qrc7',
          module: 'body-parser',
          severity: 'high',
          title: 'body-parser vulnerable to denial of service when url encoding is enabled',
          paths: ['services/gateway>express>body-parser'],
        },
      ],
    });
  });

  it.each<[string, string, string]>([
    [
      'the registry refusing the audit endpoint (this machine: 405)',
      JSON.stringify({
        error: {
          code: 'ERR_PNPM_AUDIT_BAD_RESPONSE',
          message:
            'The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits/quick) responded with 405: ',
        },
      }),
      'ERR_PNPM_AUDIT_BAD_RESPONSE: The audit endpoint',
    ],
    ['no JSON at all', 'ERR_PNPM_FETCH getaddrinfo ENOTFOUND', 'pnpm audit printed no JSON'],
    ['JSON without advisories', '{"metadata":{}}', 'no advisories object'],
  ])('says why the audit is unavailable: %s', (_name, output, why) => {
    const parsed = parsePnpmAudit(output);
    expect(parsed).toEqual({ unavailable: expect.stringContaining(why) });
  });
});
