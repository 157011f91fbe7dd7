/** A copy without the properties set to undefined: fixtures take `{ field: undefined }` to mean "leave it out". */
export const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
