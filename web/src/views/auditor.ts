import { getJson, segment, withQuery } from '../api';
import { type Catalogue, loadCatalogue } from '../catalogue';
import { creditsText, empty, eventPages, problemBox, statusPill } from '../components';
import { fill, h, time, toLocalInput } from '../dom';
import type { HistoryEvent, Page, Transcript } from '../types';

/** A point of the ledger: an instant (by recording time), or an event's global position. */
export type LedgerPoint = { asOf?: string; asOfPosition?: string };
type Navigate = (point: LedgerPoint | undefined) => void;

/** A learner's timeline of events, and their transcript as it stood at any instant or event beside the one of today. */
export async function auditorView(
  root: HTMLElement,
  learnerId: string,
  point: LedgerPoint,
  navigate: Navigate,
): Promise<void> {
  const { asOf, asOfPosition } = point;
  const [catalogue, history] = await Promise.all([
    loadCatalogue(),
    getJson<Page<'events', HistoryEvent>>(`/learners/${segment(learnerId)}/history`),
  ]);
  const comparison = h('div', { id: 'as-of-result' });
  fill(
    root,
    h(
      'header',
      { class: 'view-head' },
      h('p', { class: 'eyebrow' }, 'Audit'),
      h('h1', {}, learnerId),
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button secondary', href: `#/learner/${segment(learnerId)}` }, 'Learner record'),
      ),
    ),
    h(
      'div',
      { class: 'audit-grid' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Transcript as of an instant'),
        asOfForm(asOf, asOfPosition, navigate),
        comparison,
      ),
      h('section', { class: 'panel' }, h('h2', {}, 'Timeline'), timeline(learnerId, history, navigate)),
    ),
  );
  if (asOf === undefined && asOfPosition === undefined)
    return fill(
      comparison,
      empty('Pick an instant (or an event of the timeline) to see the transcript as it stood then.'),
    );
  try {
    const [then, now] = await Promise.all([
      // An event's transcript is as of its position: events sharing its instant but recorded after it are not in it.
      getJson<Transcript>(withQuery(`/learners/${segment(learnerId)}/transcript`, { asOf, asOfPosition })),
      getJson<Transcript>(`/learners/${segment(learnerId)}/transcript`),
    ]);
    fill(comparison, compare(then, now, catalogue));
  } catch (error) {
    fill(comparison, problemBox(error));
  }
}

function asOfForm(asOf: string | undefined, asOfPosition: string | undefined, navigate: Navigate): HTMLElement {
  const input = h('input', {
    type: 'datetime-local',
    id: 'as-of',
    name: 'asOf',
    step: 1,
    required: true,
    value: asOf ? toLocalInput(asOf) : '',
  });
  return h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const instant = new Date(input.value);
        if (!Number.isNaN(instant.getTime())) navigate({ asOf: instant.toISOString() });
      },
    },
    h('label', { for: 'as-of' }, 'As of'),
    input,
    h('button', { type: 'submit', class: 'button' }, 'Show'),
    asOf || asOfPosition
      ? h('button', { type: 'button', class: 'button secondary', onclick: () => navigate(undefined) }, 'Clear')
      : null,
  );
}

function compare(then: Transcript, now: Transcript, catalogue: Catalogue): HTMLElement {
  const before = new Map(then.awards.map((award) => [award.awardId, award]));
  const rows = now.awards.map((award) => {
    const past = before.get(award.awardId);
    const changed = past?.status !== award.status;
    return h(
      'tr',
      {
        'data-award': award.awardId,
        'data-then': past?.status ?? 'not-issued',
        class: changed ? 'changed' : undefined,
      },
      h('th', { scope: 'row' }, award.title || catalogue.achievementTitle(award.achievementId)),
      h('td', { class: 'then' }, past ? statusPill(past.status) : h('span', { class: 'muted' }, 'not yet issued')),
      h('td', { class: 'now' }, statusPill(award.status)),
    );
  });
  const totals = (transcript: Transcript) =>
    creditsText(transcript.creditTotals.map((total) => ({ framework: total.framework, value: total.value })));
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'as-of-caption' },
      ...(then.asOfPosition ? ['Just after the event at position ', h('strong', {}, then.asOfPosition)] : []),
      ...(then.asOf ? ['As of ', time(then.asOf)] : []),
      ': ',
      h('strong', {}, totals(then)),
      ' valid · today: ',
      h('strong', {}, totals(now)),
    ),
    rows.length
      ? h(
          'table',
          { class: 'results compare' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Micro-credential'),
              h('th', { scope: 'col' }, 'Then'),
              h('th', { scope: 'col' }, 'Now'),
            ),
          ),
          h('tbody', {}, ...rows),
        )
      : empty('No awards.'),
  );
}

function timeline(learnerId: string, first: Page<'events', HistoryEvent>, navigate: Navigate): HTMLElement {
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  const path = `/learners/${segment(learnerId)}/history`;
  const more = eventPages(list, first, { path, label: 'Load more events' }, (event) => eventItem(event, navigate));
  return first.events.length ? h('div', {}, list, more) : empty('No events about this learner.');
}

/** When what the event records happened, as its data dates it (moved-in records carry dates long before they were recorded). */
const HAPPENED_FIELDS = ['observedAt', 'assessedAt', 'issuedAt', 'conferredAt', 'recognisedAt', 'at'] as const;
function happenedAt(event: HistoryEvent): string | undefined {
  for (const field of HAPPENED_FIELDS) {
    const value = event.data[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  }
  return undefined;
}

function eventItem(event: HistoryEvent, navigate: Navigate): HTMLLIElement {
  const actor = event.metadata.actor;
  const happened = happenedAt(event);
  return h(
    'li',
    { class: 'event', 'data-type': event.type, 'data-position': event.position },
    h('div', { class: 'event-head' }, h('strong', { class: 'event-type' }, event.type)),
    h(
      'dl',
      { class: 'event-dates' },
      happened ? [h('dt', {}, 'Happened'), h('dd', { class: 'happened' }, time(happened))] : null,
      h('dt', {}, 'Recorded'),
      h('dd', { class: 'recorded' }, time(event.recordedAt)),
    ),
    h(
      'p',
      { class: 'event-meta' },
      'by ',
      h(
        'span',
        { class: 'actor' },
        h('strong', {}, actor?.sub ?? 'unknown'),
        actor?.roles?.length ? ` (${actor.roles.join(', ')})` : '',
      ),
      ' · ',
      h('code', {}, event.stream),
      ` #${event.revision} · position ${event.position}`,
    ),
    h(
      'div',
      { class: 'event-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'link as-of-event',
          // By position: several events (a batch of awards) can share one timestamp, never one position.
          onclick: () => navigate({ asOfPosition: event.position }),
        },
        'Transcript as of this event',
      ),
      h(
        'details',
        {},
        h('summary', {}, 'Data'),
        h('pre', {}, JSON.stringify({ data: event.data, metadata: event.metadata }, null, 2)),
      ),
    ),
  );
}
