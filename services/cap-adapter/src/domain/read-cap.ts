import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CAP_NAMESPACE,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapValue,
} from './cap-model';
import { failed, ok, type CapProblem, type Outcome } from './cap-problems';

/**
 * Reads a CAP 1.2 document into the adapter's model (fast-xml-parser: no hand-written XML
 * handling). Anything that is not a CAP 1.2 alert with the elements the adapter needs is a
 * list of problems naming the element, never an exception.
 */

const REPEATED = new Set([
  'info',
  'category',
  'responseType',
  'eventCode',
  'parameter',
  'resource',
  'area',
  'polygon',
  'circle',
  'geocode',
  'code',
]);

type Node = Record<string, unknown>;

const parser = (removeNSPrefix: boolean) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (name) => REPEATED.has(removeNSPrefix ? name : name.replace(/^[^:]*:/, '')),
  });

/** The namespace of the root element `alert` (default or prefixed). */
function rootNamespace(document: Node): { found: boolean; namespace?: string } {
  for (const [name, node] of Object.entries(document)) {
    const match = /^(?:([^:]+):)?alert$/.exec(name);
    if (!match) continue;
    const attributes = (node ?? {}) as Node;
    const declared = attributes[match[1] ? `@xmlns:${match[1]}` : '@xmlns'];
    return { found: true, namespace: typeof declared === 'string' ? declared : undefined };
  }
  return { found: false };
}

const text = (node: Node, name: string): string | undefined => {
  const value = node[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && '#text' in value) return String((value as Node)['#text']);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
};
const texts = (node: Node, name: string): string[] =>
  ((node[name] as unknown[] | undefined) ?? []).map((value) => String(value));
const children = (node: Node, name: string): Node[] =>
  ((node[name] as unknown[] | undefined) ?? []).map((value) =>
    typeof value === 'object' && value !== null ? (value as Node) : {},
  );

class Reader {
  readonly problems: CapProblem[] = [];

  required(node: Node, name: string, path: string): string {
    const value = text(node, name);
    if (value === undefined || value === '') {
      this.problems.push({ path: `${path}/${name}`, message: `the required element is missing` });
      return '';
    }
    return value;
  }

  values(node: Node, name: string, path: string): CapValue[] {
    return children(node, name).map((pair, i) => ({
      valueName: this.required(pair, 'valueName', `${path}/${name}[${i + 1}]`),
      value: text(pair, 'value') ?? '',
    }));
  }

  area(node: Node, path: string): CapArea {
    return {
      areaDesc: this.required(node, 'areaDesc', path),
      circle: texts(node, 'circle'),
      geocode: this.values(node, 'geocode', path),
    };
  }

  info(node: Node, path: string): CapInfo {
    const category = texts(node, 'category');
    if (category.length === 0)
      this.problems.push({ path: `${path}/category`, message: 'the required element is missing' });
    return {
      language: text(node, 'language') || 'en-US',
      category,
      event: this.required(node, 'event', path),
      responseType: texts(node, 'responseType'),
      urgency: this.required(node, 'urgency', path),
      severity: this.required(node, 'severity', path),
      certainty: this.required(node, 'certainty', path),
      eventCode: this.values(node, 'eventCode', path),
      effective: text(node, 'effective'),
      onset: text(node, 'onset'),
      senderName: text(node, 'senderName'),
      headline: text(node, 'headline'),
      description: text(node, 'description'),
      contact: text(node, 'contact'),
      parameter: this.values(node, 'parameter', path),
      area: children(node, 'area').map((area, i) => this.area(area, `${path}/area[${i + 1}]`)),
    };
  }

  alert(node: Node): CapAlert {
    const path = '/alert';
    return {
      identifier: this.required(node, 'identifier', path),
      sender: this.required(node, 'sender', path),
      sent: this.required(node, 'sent', path),
      status: this.required(node, 'status', path),
      msgType: this.required(node, 'msgType', path),
      scope: this.required(node, 'scope', path),
      restriction: text(node, 'restriction'),
      addresses: text(node, 'addresses'),
      note: text(node, 'note'),
      references: text(node, 'references'),
      info: children(node, 'info').map((info, i) => this.info(info, `${path}/info[${i + 1}]`)),
    };
  }
}

/** Parses `xml` as a CAP 1.2 alert. */
export function readCap(xml: string): Outcome<CapAlert> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return failed({
      path: '/',
      message: `is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    });
  }
  const root = rootNamespace(parser(false).parse(xml) as Node);
  if (!root.found) return failed({ path: '/alert', message: 'the root element must be alert' });
  if (root.namespace !== CAP_NAMESPACE) {
    return failed({
      path: '/alert',
      message: `must be in the CAP 1.2 namespace ${CAP_NAMESPACE}, not ${root.namespace ?? 'no namespace'}`,
    });
  }
  const document = parser(true).parse(xml) as Node;
  const reader = new Reader();
  const alert = reader.alert((document.alert ?? {}) as Node);
  return reader.problems.length > 0 ? failed(...reader.problems) : ok(alert);
}
