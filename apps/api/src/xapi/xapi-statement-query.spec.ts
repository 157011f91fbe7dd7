import { XapiError } from './xapi-errors';
import {
  inFormat,
  XAPI_QUERY_MAX,
  xapiCursor,
  xapiCursorOf,
  xapiQueryParameters,
  xapiStatementFilter,
} from './xapi-statement-query';

/** The message of the 400 that `run` throws (its status checked), or 'accepted'. */
const refusal = (run: () => unknown): string => {
  const thrown = (() => {
    try {
      return run() && undefined;
    } catch (error) {
      return error;
    }
  })();
  if (thrown === undefined) return 'accepted';
  expect(thrown).toBeInstanceOf(XapiError);
  return `${(thrown as XapiError).status} ${(thrown as XapiError).message}`;
};

describe('the statement query parameters', () => {
  it('reads filters, the server maximum and the defaults', () => {
    expect(xapiStatementFilter({})).toEqual({
      relatedActivities: false,
      relatedAgents: false,
      ascending: false,
      limit: XAPI_QUERY_MAX,
      format: 'exact',
    });
    expect(
      xapiStatementFilter({
        agent: '{"objectType":"Agent","account":{"homePage":"https://lms.example","name":"7"}}',
        since: '2026-03-01T10:00:00+01:00',
        limit: '0',
        registration: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
        ascending: 'true',
      }),
    ).toMatchObject({
      agent: { account: { homePage: 'https://lms.example', name: '7' } },
      since: '2026-03-01T09:00:00.000Z',
      limit: XAPI_QUERY_MAX,
      registration: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      ascending: true,
    });
    expect(xapiStatementFilter({ limit: '7' }).limit).toBe(7);
    expect(xapiStatementFilter({ limit: '100000' }).limit).toBe(XAPI_QUERY_MAX);
  });

  it('refuses what is not of the form, unknown and repeated parameters, and attachments', () => {
    expect(refusal(() => xapiQueryParameters({ verbs: 'x' }))).toBe('400 unknown query parameter verbs');
    expect(refusal(() => xapiQueryParameters({ verb: ['a:b', 'c:d'] }))).toMatch(/^400 verb must be given once/);
    expect(refusal(() => xapiStatementFilter({ attachments: 'true' }))).toMatch(/^400 attachments are not served/);
    expect(refusal(() => xapiStatementFilter({ agent: '{"mbox":"mailto:a@b.c","openid":"https://x"}' }))).toMatch(
      /exactly one of/,
    );
    expect(refusal(() => xapiStatementFilter({ agent: '{"objectType":"Activity","mbox":"mailto:a@b.c"}' }))).toMatch(
      /objectType/,
    );
    expect(refusal(() => xapiStatementFilter({ until: '2026-03-01' }))).toMatch(/time zone/);
    expect(refusal(() => xapiStatementFilter({ limit: '-1' }))).toMatch(/limit/);
  });

  it('takes back the cursors it gave, and refuses any other', () => {
    const filter = xapiStatementFilter({ verb: 'http://adlnet.gov/expapi/verbs/completed', limit: '2' });
    const cursor = xapiCursor(filter, { bound: '42', after: '40' });
    expect(xapiCursorOf(cursor)).toEqual({ filter, position: { bound: '42', after: '40' } });
    const tampered = (change: (decoded: { filter: object; position: object }) => object) =>
      Buffer.from(JSON.stringify(change(JSON.parse(Buffer.from(cursor, 'base64url').toString())))).toString(
        'base64url',
      );
    for (const bad of [
      'AAAA',
      tampered((decoded) => ({ ...decoded, position: { bound: '42', after: '1; DROP TABLE x' } })),
      tampered((decoded) => ({ ...decoded, filter: { ...decoded.filter, limit: 'all' } })),
      tampered((decoded) => ({ ...decoded, filter: { ...decoded.filter, verb: 'not an iri' } })),
    ])
      expect(refusal(() => xapiCursorOf(bad))).toMatch(/^400 cursor is not one this LRS gave/);
  });
});

describe('statement formats', () => {
  const stored = {
    id: 'b2c1f6b8-5f0e-4c7a-9a55-3f6d7b7f0001',
    actor: { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.edu' },
    verb: {
      id: 'http://adlnet.gov/expapi/verbs/completed',
      display: { 'en-US': 'completed', 'de-DE': 'abgeschlossen' },
    },
    object: {
      objectType: 'Activity',
      id: 'https://lms.example/quiz/1',
      definition: { name: { 'en-GB': 'Quiz', 'fr-FR': 'Questionnaire' } },
    },
    context: { contextActivities: { parent: [{ id: 'https://lms.example/course', definition: { type: 'x:y' } }] } },
    stored: '2026-03-01T09:00:00.000Z',
  };

  it('exact: as stored', () => expect(inFormat(stored, 'exact', [])).toBe(stored));

  it('ids: agents by their IFI, activities and the verb by their ids', () => {
    expect(inFormat(stored, 'ids', [])).toEqual({
      ...stored,
      actor: { objectType: 'Agent', mbox: 'mailto:ada@example.edu' },
      verb: { id: stored.verb.id },
      object: { objectType: 'Activity', id: stored.object.id },
      context: { contextActivities: { parent: [{ id: 'https://lms.example/course' }] } },
    });
  });

  it('canonical: each language map down to the first language asked that it has, else its first entry', () => {
    const canonical = inFormat(stored, 'canonical', ['de-DE', 'fr']);
    expect((canonical.verb as { display: object }).display).toEqual({ 'de-DE': 'abgeschlossen' });
    expect((canonical.object as { definition: { name: object } }).definition.name).toEqual({
      'fr-FR': 'Questionnaire',
    });
    const none = inFormat(stored, 'canonical', []);
    expect((none.object as { definition: { name: object } }).definition.name).toEqual({ 'en-GB': 'Quiz' });
    // A name that is not a language map (an agent's) is left as it is.
    expect((none.actor as { name: string }).name).toBe('Ada');
  });
});
