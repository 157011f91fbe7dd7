import { getJson, getStream, segment } from '../api';
import { empty, eventPages, learnerForm, problemBox, section } from '../components';
import { fill, h, time } from '../dom';
import type { ActivityEvent, AuditLine, Page } from '../types';

/** Recent events shown at a time. */
const PAGE_SIZE = 20;

/** Where an auditor starts: a learner to audit, the ledger's recent activity, and the audit of every hash chain. */
export async function auditorHome(root: HTMLElement, openLearner: (learnerId: string) => void): Promise<void> {
  const first = await getJson<Page<'events', ActivityEvent>>(`/audit/events?limit=${PAGE_SIZE}`);
  fill(
    root,
    h('header', { class: 'view-head' }, h('p', { class: 'eyebrow' }, 'Audit'), h('h1', {}, 'The ledger')),
    h(
      'div',
      { class: 'audit-grid audit-home' },
      h(
        'div',
        {},
        h('section', { class: 'panel' }, h('h2', {}, 'Audit a learner'), learnerForm(openLearner)),
        verifyPanel(),
      ),
      section('Recent activity', recentActivity(first)),
    ),
  );
}

function recentActivity(first: Page<'events', ActivityEvent>): HTMLElement {
  if (!first.events.length) return empty('No events your issuers hold yet.');
  const body = h('tbody', {});
  const more = eventPages(
    body,
    first,
    { path: '/audit/events', query: { limit: String(PAGE_SIZE) }, label: 'Older events' },
    activityRow,
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'results activity', id: 'activity' },
      h(
        'thead',
        {},
        h('tr', {}, ...['When', 'Event', 'Learner', 'By'].map((title) => h('th', { scope: 'col' }, title))),
      ),
      body,
    ),
    more,
  );
}

function activityRow(event: ActivityEvent): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-type': event.type, 'data-position': event.position },
    h('td', {}, time(event.recordedAt)),
    h(
      'td',
      {},
      h('strong', {}, event.type),
      h('br', {}),
      h('code', { class: 'muted' }, `${event.stream} #${event.revision}`),
    ),
    h('td', {}, event.learnerId ? h('a', { href: `#/auditor/${segment(event.learnerId)}` }, event.learnerId) : '—'),
    h('td', { class: 'actor' }, event.metadata.actor?.sub ?? 'unknown'),
  );
}

/** "Verify the ledger": GET /audit/verify/progress, its lines read as they come, the progress drawn from each. */
function verifyPanel(): HTMLElement {
  const bar = h('progress', { id: 'verify-progress', hidden: true });
  const status = h('p', { class: 'verify-status', role: 'status' });
  const result = h('div', { id: 'verify-result' });
  const button = h('button', { type: 'button', class: 'button', id: 'verify' }, 'Verify the ledger');
  const run = async () => {
    button.disabled = true;
    bar.hidden = false;
    bar.removeAttribute('value');
    fill(status, 'Reading the ledger…');
    fill(result);
    try {
      await readLines(await getStream('/audit/verify/progress'), (line) => {
        if ('progress' in line) {
          const { events, streams, total } = line.progress;
          bar.max = Math.max(total, events, 1);
          bar.value = events;
          fill(status, `${events} of about ${Math.max(total, events)} events checked, ${streams} streams`);
        } else if ('report' in line) {
          bar.value = bar.max;
          fill(status, `${line.report.events} events in ${line.report.streams} streams checked.`);
          fill(result, auditReport(line.report));
        } else fill(result, problemBox(new Error(line.error.title)));
      });
    } catch (error) {
      fill(result, problemBox(error));
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => void run());
  return h(
    'section',
    { class: 'panel verify' },
    h('h2', {}, 'Hash chains'),
    h('p', {}, 'Replays every stream of the ledger and checks each event against the hash of the one before.'),
    button,
    bar,
    status,
    result,
  );
}

function auditReport(report: Extract<AuditLine, { report: unknown }>['report']): HTMLElement {
  if (report.ok) return h('p', { class: 'verify-ok', 'data-ok': 'true' }, '✓ Every hash chain holds.');
  return h(
    'div',
    { class: 'problem', role: 'alert', 'data-ok': 'false' },
    h('strong', {}, `${report.broken.length} broken link${report.broken.length === 1 ? '' : 's'}`),
    h(
      'ul',
      { class: 'broken' },
      ...report.broken.map((link) =>
        h('li', { 'data-stream': link.stream }, h('code', {}, `${link.stream} #${link.revision}`), `: ${link.reason}`),
      ),
    ),
  );
}

/** Calls `each` with every JSON line of a streamed response as it arrives. */
async function readLines(response: Response, each: (line: AuditLine) => void): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += value ?? '';
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) each(JSON.parse(line) as AuditLine);
    if (done) return;
  }
}
