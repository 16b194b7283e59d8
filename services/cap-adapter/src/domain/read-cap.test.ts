import { capExample } from '../cap.test-helper';
import { readCap } from './read-cap';

const minimal = (inner: string, root = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">') =>
  `<?xml version="1.0"?>${root}${inner}</alert>`;
const HEADER =
  '<identifier>X-1</identifier><sender>s@example.org</sender><sent>2026-11-20T19:30:00+01:00</sent>' +
  '<status>Actual</status><msgType>Alert</msgType><scope>Restricted</scope>';

describe('reading CAP 1.2', () => {
  it.each([
    ['alert-runaway.xml', 'DE-BER-2026-00417', ['en', 'de']],
    ['alert-parental-abduction.xml', 'FR-LYO-2026-1182', ['fr', 'tr']],
    ['update-runaway.xml', 'DE-BER-2026-00417-U1', ['en']],
    ['cancel-runaway.xml', 'DE-BER-2026-00417-C1', []],
  ])('reads %s, default or prefixed namespace', (file, identifier, languages) => {
    const read = readCap(capExample(file));
    expect(read.ok && read.value.identifier).toBe(identifier);
    expect(read.ok && read.value.info.map((i) => i.language)).toEqual(languages);
  });

  it('keeps text in any script and unescapes entities', () => {
    const read = readCap(capExample('alert-runaway.xml'));
    expect(read.ok && read.value.info[0]!.parameter[0]!.value).toBe('Ελένη');
    const escaped = readCap(minimal(`${HEADER}<note>a &lt; b &amp; c</note>`));
    expect(escaped.ok && escaped.value.note).toBe('a < b & c');
  });

  it("gives an info block without language CAP's default, en-US", () => {
    const read = readCap(
      minimal(
        `${HEADER}<info><category>Safety</category><event>e</event><urgency>Immediate</urgency>` +
          '<severity>Severe</severity><certainty>Observed</certainty></info>',
      ),
    );
    expect(read.ok && read.value.info[0]!.language).toBe('en-US');
  });

  it.each([
    ['not XML', 'this is not <xml', '/'],
    ['unclosed element', minimal(`${HEADER}<note>`), '/'],
    ['another root', '<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', '/alert'],
    ['no namespace', minimal(HEADER, '<alert>'), '/alert'],
    [
      'the CAP 1.1 namespace',
      minimal(HEADER, '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1">'),
      '/alert',
    ],
    [
      'no identifier',
      minimal(HEADER.replace('<identifier>X-1</identifier>', '')),
      '/alert/identifier',
    ],
    ['no msgType', minimal(HEADER.replace('<msgType>Alert</msgType>', '')), '/alert/msgType'],
    [
      'an info block without event',
      minimal(
        `${HEADER}<info><category>Safety</category><urgency>Immediate</urgency>` +
          '<severity>Severe</severity><certainty>Observed</certainty></info>',
      ),
      '/alert/info[1]/event',
    ],
    [
      'an area without areaDesc',
      minimal(
        `${HEADER}<info><category>Safety</category><event>e</event><urgency>Immediate</urgency>` +
          '<severity>Severe</severity><certainty>Observed</certainty><area><circle>1,2 0</circle></area></info>',
      ),
      '/alert/info[1]/area[1]/areaDesc',
    ],
  ])('%s is a problem naming the element', (_name, xml, path) => {
    const read = readCap(xml);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems.map((p) => p.path)).toContain(path);
  });
});
