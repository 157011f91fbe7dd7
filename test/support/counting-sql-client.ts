import type { SqlClient } from '@app/event-store';

/** A SqlClient that counts what it sends: with `pg` every statement is one round trip (no pipelining). */
export interface CountingSqlClient extends SqlClient {
  /** The statements sent since the last reset, in order; BEGIN and COMMIT of a transaction included. */
  readonly sent: string[];
  reset(): void;
}

export function countingSqlClient(inner: SqlClient): CountingSqlClient {
  const sent: string[] = [];
  const counted =
    (query: SqlClient['query']): SqlClient['query'] =>
    (sql, params, options) => {
      sent.push(sql.replace(/\s+/g, ' ').trim());
      return query(sql, params, options);
    };
  return {
    kind: inner.kind,
    sent,
    reset: () => void sent.splice(0),
    query: counted((sql, params, options) => inner.query(sql, params, options)),
    transaction: (work) =>
      inner.transaction((query) => {
        sent.push('BEGIN');
        return work(counted(query)).then((result) => (sent.push('COMMIT'), result));
      }),
    session: (work) => inner.session((query, lost) => work(counted(query), lost)),
    // What a listening connection hears is not a statement sent for an answer: it is not counted.
    ...(inner.listen ? { listen: inner.listen.bind(inner) } : {}),
    close: () => inner.close(),
  };
}
