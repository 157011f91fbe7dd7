import type { EventStore, GlobalPosition, RecordedEvent } from '@app/event-store';
import { chainLinks, eventHash, GENESIS_HASH } from './hash-chain';

/** The first broken link of one stream. */
export interface BrokenLink {
  readonly stream: string;
  /** The revision at which the chain first fails to hold. */
  readonly revision: number;
  readonly reason: string;
}

/** DESIGN §6: `{ ok, streams, events, broken: [{ stream, revision, reason }] }`. */
export interface AuditReport {
  readonly ok: boolean;
  /** Streams seen. */
  readonly streams: number;
  /** Events read. */
  readonly events: number;
  /** One entry per broken stream (its first broken link), by stream name. */
  readonly broken: BrokenLink[];
}

export interface AuditProgress {
  readonly events: number;
  readonly streams: number;
  readonly broken: number;
}

export interface VerifyAuditOptions {
  /** Called after each page read. */
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Events per `readAll` page (default 1000). */
  readonly pageSize?: number;
  /**
   * How many events of one stream may wait for a missing earlier revision before the stream is reported broken at
   * once (default 10,000): bounds memory when a revision is gone from a long stream.
   */
  readonly maxPending?: number;
}

interface StreamState {
  /** The next revision expected. */
  next: bigint;
  /** The stored hash of revision `next - 1` (GENESIS_HASH before revision 0). */
  prevHash: string;
  /** Later revisions met before `next`, waiting for it (keyed by revision). */
  pending: Map<bigint, RecordedEvent>;
  broken?: BrokenLink;
}

/**
 * Replays the whole store in global order and checks every stream's hash chain (see hash-chain.ts): revisions
 * contiguous from 0, each event's `prevHash` equal to the previous event's `hash` (GENESIS_HASH at revision 0), each
 * `hash` recomputed from the event. Reports each stream's first broken link only. Strict: an event without a chain
 * (no `prevHash`/`hash` in its metadata) is a finding, since the ledger appends only through StreamCommands.
 *
 * A changed event breaks its own hash (or, if the hash was forged too, the next event's `prevHash`); a removed event
 * leaves a gap in the revisions; events whose revisions were exchanged fail the chain (each names the hash of the event
 * that used to precede it), and the reason says they were recorded out of order. Removing a stream's last events leaves a shorter, intact chain: that needs
 * an anchor outside the store and is not detected here.
 */
export async function verifyAudit(store: EventStore, options: VerifyAuditOptions = {}): Promise<AuditReport> {
  const pageSize = options.pageSize ?? 1000;
  const maxPending = options.maxPending ?? 10_000;
  const streams = new Map<string, StreamState>();
  let events = 0;
  let brokenCount = 0;

  const breakAt = (state: StreamState, stream: string, revision: bigint, reason: string) => {
    state.broken = { stream, revision: Number(revision), reason };
    state.pending.clear();
    brokenCount++;
  };

  /** Checks the event at `state.next`, then any waiting successors. */
  const advance = (state: StreamState, event: RecordedEvent, note: string) => {
    for (let current: RecordedEvent | undefined = event; current && !state.broken;) {
      const reason = linkProblem(state, current);
      if (reason) return breakAt(state, current.stream, current.revision, current === event ? reason + note : reason);
      state.prevHash = chainLinks(current.metadata)!.hash;
      state.next++;
      current = state.pending.get(state.next);
      state.pending.delete(state.next);
    }
  };

  for (let from: GlobalPosition | undefined; ;) {
    // Every committed event, not only those no transaction in flight can precede: the settled fence is cluster-wide,
    // so on a busy server it can lag behind what this ledger has committed, and an audit must see all of it.
    const page = await store.readAll({ from, maxCount: pageSize, visibility: 'committed' });
    for (const event of page) {
      events++;
      let state = streams.get(event.stream);
      if (!state) {
        state = { next: 0n, prevHash: GENESIS_HASH, pending: new Map() };
        streams.set(event.stream, state);
      }
      if (state.broken) continue;
      if (event.revision < state.next || state.pending.has(event.revision)) {
        breakAt(state, event.stream, event.revision, `revision ${event.revision} recorded twice`);
      } else if (event.revision > state.next) {
        state.pending.set(event.revision, event);
        if (state.pending.size > maxPending) breakAt(state, event.stream, lowest(state.pending), missing(state));
      } else {
        // Later revisions already met (at lower positions) mean this stream's order was changed: the chain decides.
        const note =
          state.pending.size > 0 ? ` (recorded after revision ${lowest(state.pending)}: events reordered)` : '';
        advance(state, event, note);
      }
    }
    options.onProgress?.({ events, streams: streams.size, broken: brokenCount });
    if (page.length < pageSize) break;
    from = page[page.length - 1].position;
  }

  const broken: BrokenLink[] = [];
  for (const [stream, state] of streams) {
    if (!state.broken && state.pending.size > 0) breakAt(state, stream, lowest(state.pending), missing(state));
    if (state.broken) broken.push(state.broken);
  }
  broken.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  return { ok: broken.length === 0, streams: streams.size, events, broken };
}

/** Why `event` (at the expected revision) does not continue the chain, or undefined when it does. */
function linkProblem(state: StreamState, event: RecordedEvent): string | undefined {
  const links = chainLinks(event.metadata);
  if (!links) return 'not hash-chained';
  if (links.prevHash !== state.prevHash)
    return event.revision === 0n
      ? 'prevHash is not the genesis hash'
      : `prevHash does not match the hash of revision ${event.revision - 1n}`;
  if (eventHash(links.prevHash, event) !== links.hash)
    return 'hash does not match the event (changed after it was recorded)';
  return undefined;
}

function lowest(pending: Map<bigint, RecordedEvent>): bigint {
  return [...pending.keys()].reduce((a, b) => (b < a ? b : a));
}

function missing(state: StreamState): string {
  return `event missing before revision ${lowest(state.pending)}`;
}
