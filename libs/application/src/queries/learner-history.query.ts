import { learnerStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { readLearnerHistory } from '../learner-ledger';
import { showsStream, type ViewOfLearner, wholeLearner } from './learner-view';
import { ledgerSourceOf, type ReadSide } from './read-side';

export interface HistoryOptions {
  /** Events strictly after this position (the previous page's last). */
  readonly after?: bigint;
  readonly limit?: number;
  /** What the caller may see of the learner; everything when not given. */
  readonly view?: ViewOfLearner;
}

/**
 * Every event about a learner (record, qualification and learner streams) in global order, with metadata, one page at a
 * time: what `GET /learners/:id/history` answers and `tessera history` prints. The streams are found from the stream
 * summary, never by scanning the log; the page is cut after keeping only the streams the view shows, so a page is full
 * whenever more events follow.
 */
export async function learnerHistory(
  read: ReadSide,
  learnerId: string,
  options: HistoryOptions = {},
): Promise<{ events: RecordedEvent[]; more: boolean }> {
  learnerStream(learnerId); // a malformed learner id is a 400
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const { events: all } = await readLearnerHistory(ledgerSourceOf(read), learnerId, {
    ...(options.after === undefined ? {} : { after: options.after }),
    limit: Number.MAX_SAFE_INTEGER,
  });
  const view = await (options.view ?? wholeLearner)(all.at(-1)?.position);
  const found = all.filter((event) => showsStream(view, event.stream));
  return { events: found.slice(0, limit), more: found.length > limit };
}
