/**
 * The environment of a process a test spawns: this one's without EVENTSTORE_URL, plus `extra`. Only
 * `npm run test:eventstoredb` may write to EventStoreDB: a spawned api, projector or CLI that inherited the variable
 * would write there beside the contract and break its counts.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  delete inherited.EVENTSTORE_URL;
  return { ...inherited, ...extra };
}
