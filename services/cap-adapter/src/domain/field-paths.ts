/**
 * Where a field of the exchange's request body came from in the CAP alert, so that a
 * field the gateway refuses (named by JSON Pointer) is reported by the CAP element that
 * carried it.
 */
const ELEMENT_OF_FIELD: ReadonlyArray<[RegExp, string]> = [
  [/^\/category$/, '/alert/info[1]/eventCode'],
  [/^\/urgency$/, '/alert/info[1]/urgency'],
  [/^\/occurredAt$/, '/alert/info[1]/effective'],
  [/^\/(countries|lastSeen\/(place|latitude|longitude))(\/|$)/, '/alert/info[1]/area'],
  [/^\/lastSeen\/at$/, '/alert/info[1]/onset'],
  [/^\/child\/descriptions(\/|$)/, '/alert/info/description'],
  [/^\/contact\/desk$/, '/alert/info[1]/contact'],
  [/^\/(reason|resolution\/note)$/, '/alert/note'],
];

/** The CAP path of the body field at `pointer`; other fields are parameters. */
export function capPathOfField(pointer: string): string {
  const element = ELEMENT_OF_FIELD.find(([pattern]) => pattern.test(pointer))?.[1];
  return element ?? `/alert/info[1]/parameter[valueName='${pointer}']`;
}
