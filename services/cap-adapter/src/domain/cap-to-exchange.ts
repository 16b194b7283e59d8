import type { CaseBody, EventBody } from '@alert-exchange/contracts';
import { countriesOfAreas } from './area-countries';
import { fromParameters } from './case-parameters';
import {
  isCapDateTime,
  messageKey,
  parseReferences,
  type CapAlert,
  type CapInfo,
  type CapMessageRef,
} from './cap-model';
import { failed, ok, type CapProblem, type Outcome } from './cap-problems';
import {
  CATEGORIES,
  CATEGORY_CODE,
  CATEGORY_WITHOUT_CODE,
  urgencyOf,
  type Category,
} from './mapping-tables';

/**
 * A CAP 1.2 alert as the exchange request it stands for: msgType Alert raises a case
 * (`POST /v1/alerts`), Update adds an UPDATED event (RESOLVED when an info block says
 * responseType AllClear) and Cancel a WITHDRAWN one, to the case its `references` name.
 * Pure: the caller looks up which case each earlier message belongs to.
 */
export type ExchangeRequest =
  | { readonly kind: 'raise'; readonly message: CapMessageRef; readonly body: CaseBody }
  | {
      readonly kind: 'event';
      readonly message: CapMessageRef;
      readonly caseId: string;
      readonly body: EventBody;
    };

const RESOLUTION_OUTCOMES = ['FOUND_SAFE', 'FOUND_HARMED', 'FOUND_DECEASED', 'RETURNED', 'OTHER'];
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The case an Update or Cancel is about: the one case its references lead to. */
function caseOfReferences(
  refs: readonly CapMessageRef[],
  known: ReadonlyMap<string, string>,
): Outcome<string> {
  const cases = new Set(refs.map((ref) => known.get(messageKey(ref))).filter(Boolean));
  const [caseId, ...others] = [...cases] as string[];
  if (!caseId)
    return failed({
      path: '/alert/references',
      message: 'names no earlier message imported by this adapter, so no case to apply it to',
    });
  if (others.length > 0)
    return failed({ path: '/alert/references', message: 'names messages of several cases' });
  return ok(caseId);
}

function categoryOf(info: CapInfo, path: string): Outcome<Category> {
  const code = info.eventCode.findIndex((c) => c.valueName === CATEGORY_CODE);
  if (code >= 0) {
    const value = info.eventCode[code]!.value.trim() as Category;
    return CATEGORIES.includes(value)
      ? ok(value)
      : failed({
          path: `${path}/eventCode[${code + 1}]/value`,
          message: `must be one of ${CATEGORIES.join(', ')}`,
        });
  }
  const mapped = info.category.map((c) => CATEGORY_WITHOUT_CODE[c]).find(Boolean);
  return mapped
    ? ok(mapped)
    : failed({
        path: `${path}/eventCode`,
        message: `needs an eventCode ${CATEGORY_CODE} (one of ${CATEGORIES.join(', ')}): category ${info.category.join(', ')} names no kind of missing child`,
      });
}

const compact = <T>(items: readonly T[] | undefined): T[] | undefined =>
  items?.filter((item) => item !== undefined && item !== null);

/** The case an Alert or Update describes, from its info blocks. */
function caseOf(alert: CapAlert, refs: readonly CapMessageRef[]): Outcome<CaseBody> {
  const primary = alert.info[0];
  if (!primary)
    return failed({
      path: '/alert/info',
      message: `an ${alert.msgType} needs at least one info block`,
    });
  const path = '/alert/info[1]';
  const problems: CapProblem[] = [];
  const category = categoryOf(primary, path);
  if (!category.ok) problems.push(...category.problems);
  const urgency = urgencyOf(primary.urgency, primary.severity, primary.certainty);
  if (!urgency)
    problems.push({
      path: `${path}/urgency`,
      message: `${primary.urgency} has no exchange urgency: send a Cancel, or an Update with responseType AllClear`,
    });
  for (const [name, value] of [
    ['effective', primary.effective],
    ['onset', primary.onset],
  ] as const) {
    if (value !== undefined && !isCapDateTime(value))
      problems.push({ path: `${path}/${name}`, message: 'must be a CAP date-time' });
  }
  alert.info.forEach((info, i) => {
    if (!LANGUAGE.test(info.language))
      problems.push({
        path: `/alert/info[${i + 1}]/language`,
        message: 'must be a language tag in lower case, e.g. de or en-GB',
      });
  });
  const { fields, problems: parameterProblems } = fromParameters(primary.parameter);
  for (const p of parameterProblems)
    problems.push({
      path: `${path}/parameter[${p.index + 1}]/value`,
      message: `${p.valueName} ${p.message}`,
    });
  const areas = countriesOfAreas(primary.area, path);
  problems.push(...areas.problems);
  const child = (fields.child ?? {}) as Partial<CaseBody['child']>;
  const names = compact(child.names) ?? [];
  const unnamed = names.findIndex((name) => !name.given);
  if (names.length === 0 || unnamed >= 0)
    problems.push({
      path: `${path}/parameter`,
      message: `needs a parameter /child/names/${Math.max(unnamed, 0)}/given: the child's given name`,
    });
  const originCaseReference =
    (fields.originCaseReference as string | undefined) ??
    (alert.msgType === 'Alert' ? alert.identifier : refs[0]?.identifier) ??
    alert.identifier;
  if (originCaseReference.length > 100)
    problems.push({
      path: '/alert/identifier',
      message: 'is longer than the 100 characters of an origin case reference',
    });
  if (problems.length > 0 || !category.ok || !urgency || !areas.value) return failed(...problems);
  const descriptions = alert.info
    .filter((info) => info.description)
    .map((info) => ({ lang: info.language, text: info.description! }));
  return ok({
    category: category.value,
    urgency,
    originCaseReference,
    occurredAt: primary.effective ?? alert.sent,
    countries: areas.value.countries,
    lastSeen: { at: primary.onset ?? null, ...areas.value.lastSeen },
    child: {
      ...child,
      names,
      nationalities: compact(child.nationalities),
      languagesSpoken: compact(child.languagesSpoken),
      descriptions,
    },
    riskFactors: fields.riskFactors as CaseBody['riskFactors'],
    circumstances: (fields.circumstances as string | undefined) ?? null,
    contact: {
      ...(fields.contact as CaseBody['contact']),
      desk: primary.contact ?? null,
    },
  });
}

/** The event a Cancel or an all-clear Update stands for. */
function closingEvent(alert: CapAlert): Outcome<EventBody> | undefined {
  if (alert.msgType === 'Cancel')
    return ok({ type: 'WITHDRAWN', occurredAt: alert.sent, reason: alert.note ?? null });
  const allClear = alert.info.some((info) => info.responseType.includes('AllClear'));
  if (!allClear) return undefined;
  const outcomeIndex = alert.info[0]?.parameter.findIndex(
    (p) => p.valueName === '/resolution/outcome',
  );
  const outcome =
    outcomeIndex !== undefined && outcomeIndex >= 0
      ? alert.info[0]!.parameter[outcomeIndex]!.value
      : 'OTHER';
  if (!RESOLUTION_OUTCOMES.includes(outcome))
    return failed({
      path: `/alert/info[1]/parameter[${(outcomeIndex ?? 0) + 1}]/value`,
      message: `/resolution/outcome must be one of ${RESOLUTION_OUTCOMES.join(', ')}`,
    });
  return ok({
    type: 'RESOLVED',
    occurredAt: alert.sent,
    resolution: {
      outcome: outcome as Extract<EventBody, { type: 'RESOLVED' }>['resolution']['outcome'],
      note: alert.note ?? null,
    },
  });
}

/**
 * The exchange request of `alert`. `known` maps the key of every CAP message the adapter
 * imported before (`messageKey`: sender and identifier) to the case it went to.
 */
export function capToExchange(
  alert: CapAlert,
  known: ReadonlyMap<string, string>,
): Outcome<ExchangeRequest> {
  const message = { sender: alert.sender, identifier: alert.identifier, sent: alert.sent };
  const problems: CapProblem[] = [];
  if (alert.status !== 'Actual')
    problems.push({
      path: '/alert/status',
      message: `must be Actual: the exchange publishes real alerts only, not ${alert.status}`,
    });
  if (!['Alert', 'Update', 'Cancel'].includes(alert.msgType))
    problems.push({
      path: '/alert/msgType',
      message: `must be Alert, Update or Cancel, not ${alert.msgType}`,
    });
  if (!isCapDateTime(alert.sent))
    problems.push({
      path: '/alert/sent',
      message: 'must be a CAP date-time, e.g. 2026-11-20T18:30:00+01:00',
    });
  const refs = parseReferences(alert.references);
  if (!refs)
    problems.push({
      path: '/alert/references',
      message: 'must be space-separated sender,identifier,sent entries',
    });
  if (problems.length > 0 || !refs) return failed(...problems);

  if (alert.msgType === 'Alert') {
    const body = caseOf(alert, refs);
    return body.ok ? ok({ kind: 'raise', message, body: body.value }) : body;
  }
  const caseId = caseOfReferences(refs, known);
  const closing = closingEvent(alert);
  const body: Outcome<EventBody> =
    closing ??
    ((): Outcome<EventBody> => {
      const updated = caseOf(alert, refs);
      return updated.ok ? ok({ type: 'UPDATED', ...updated.value }) : updated;
    })();
  if (!caseId.ok || !body.ok)
    return failed(...(caseId.ok ? [] : caseId.problems), ...(body.ok ? [] : body.problems));
  return ok({ kind: 'event', message, caseId: caseId.value, body: body.value });
}
