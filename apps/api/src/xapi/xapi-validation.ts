import validateStatement from 'xapi-validation';
import { VOIDED_VERB } from '@app/domain';
import { XapiError, type XapiWarning } from './xapi-errors';

/** The versions of xAPI the resource speaks (`X-Experience-API-Version`), and the statement version each stores. */
export const XAPI_VERSIONS = { '2.0.0': '2.0.0', '1.0.3': '1.0.0' } as const;
export type XapiVersion = keyof typeof XAPI_VERSIONS;

export function xapiVersionOf(header: string | undefined): XapiVersion {
  if (header === '2.0.0' || header === '1.0.3') return header;
  throw new XapiError(
    400,
    header === undefined
      ? 'the X-Experience-API-Version header is required (2.0.0 or 1.0.3)'
      : `X-Experience-API-Version ${header} is not served: 2.0.0 or 1.0.3`,
  );
}

type Json = { [key: string]: unknown };
const STATEMENT_VERSION = /^(1\.0|2\.0)\.\d+$/;

/**
 * The problems of one statement, by Learning Locker's conformance-tested validator (xapi-validation). It knows xAPI
 * 1.0.x; what 2.0 adds to a statement is checked here first and left out of what it sees: the `version` 2.0.x, and
 * `context.contextAgents` / `context.contextGroups` (lists of objects).
 */
export function statementProblems(statement: unknown, path: string): XapiWarning[] {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement))
    return [{ path, message: 'a statement must be a JSON object' }];
  const { version, ...rest } = statement as Json;
  const problems: XapiWarning[] = [];
  if (version !== undefined && (typeof version !== 'string' || !STATEMENT_VERSION.test(version)))
    problems.push({ path: `${path}.version`, message: 'must be a 1.0.x or 2.0.x version' });
  const context = rest.context as Json | undefined;
  if (context && typeof context === 'object' && !Array.isArray(context)) {
    const { contextAgents, contextGroups, ...older } = context;
    for (const [name, value] of Object.entries({ contextAgents, contextGroups }))
      if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || !item)))
        problems.push({ path: `${path}.context.${name}`, message: 'must be a list of objects' });
    rest.context = older;
  }
  for (const warning of validateStatement(rest))
    problems.push({
      path: [path, ...warning.path.slice(1)].join('.'),
      message: `${warning.constructor.name.replace(/Warning$/, '')}: ${warning.message || 'invalid value'}`,
    });
  return problems;
}

/** A statement the resource refuses whatever its content: voiding a voiding statement (xAPI §2.3.2). */
export function voidsAVoiding(statement: Json, stored: (id: string) => Json | undefined): boolean {
  const target = statement.object as Json | undefined;
  if ((statement.verb as Json | undefined)?.id !== VOIDED_VERB || typeof target?.id !== 'string') return false;
  return (stored(target.id)?.verb as Json | undefined)?.id === VOIDED_VERB;
}
