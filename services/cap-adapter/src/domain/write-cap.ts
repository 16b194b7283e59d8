import { create } from 'xmlbuilder2';
import {
  CAP_NAMESPACE,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapValue,
} from './cap-model';

/**
 * Writes a CAP 1.2 document (xmlbuilder2 escapes every text). Members are listed in the
 * order of the schema's sequences, which the schema requires; absent members are left out.
 */

type XmlObject = { [name: string]: string | string[] | XmlObject | XmlObject[] };

function defined(entries: Array<[string, XmlObject[string] | undefined]>): XmlObject {
  const object: XmlObject = {};
  for (const [name, value] of entries) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    object[name] = value;
  }
  return object;
}

const pairs = (values: readonly CapValue[]): XmlObject[] =>
  values.map(({ valueName, value }) => ({ valueName, value }));

const area = (a: CapArea): XmlObject =>
  defined([
    ['areaDesc', a.areaDesc],
    ['circle', [...a.circle]],
    ['geocode', pairs(a.geocode)],
  ]);

const info = (i: CapInfo): XmlObject =>
  defined([
    ['language', i.language],
    ['category', [...i.category]],
    ['event', i.event],
    ['responseType', [...i.responseType]],
    ['urgency', i.urgency],
    ['severity', i.severity],
    ['certainty', i.certainty],
    ['eventCode', pairs(i.eventCode)],
    ['effective', i.effective],
    ['onset', i.onset],
    ['senderName', i.senderName],
    ['headline', i.headline],
    ['description', i.description],
    ['contact', i.contact],
    ['parameter', pairs(i.parameter)],
    ['area', i.area.map(area)],
  ]);

/** The XML text of `alert`, UTF-8, indented. */
export function writeCap(alert: CapAlert): string {
  const root = defined([
    ['@xmlns', CAP_NAMESPACE],
    ['identifier', alert.identifier],
    ['sender', alert.sender],
    ['sent', alert.sent],
    ['status', alert.status],
    ['msgType', alert.msgType],
    ['scope', alert.scope],
    ['restriction', alert.restriction],
    ['addresses', alert.addresses],
    ['note', alert.note],
    ['references', alert.references],
    ['info', alert.info.map(info)],
  ]);
  return create({ version: '1.0', encoding: 'UTF-8' }, { alert: root }).end({ prettyPrint: true });
}
