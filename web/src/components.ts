import { getJson, problemMessage, withQuery } from './api';
import { append, type Child, fill, h } from './dom';
import type { AwardStatus, Credit, HistoryEvent, Kind, Level, Page } from './types';

export const KINDS: ReadonlyArray<{ kind: Kind; heading: string; verb: string }> = [
  { kind: 'skill', heading: 'Skills', verb: 'I can' },
  { kind: 'knowledge', heading: 'Knowledge', verb: 'I understand' },
  { kind: 'disposition', heading: 'Dispositions', verb: 'I exhibit' },
];

const STATUS_HINT: Record<AwardStatus, string> = {
  valid: 'counts today',
  expired: 'past its validity',
  suspended: 'on hold by the issuer',
  revoked: 'withdrawn by the issuer',
};

/** A status as a word (never colour alone), styled per status. */
export function statusPill(status: string): HTMLElement {
  const hint = STATUS_HINT[status as AwardStatus];
  return h('span', { class: `pill pill-${status}`, title: hint }, status);
}

export const creditsText = (credits: readonly Credit[]): string =>
  credits.map((credit) => `${formatNumber(credit.value)} ${credit.framework}`).join(' · ') || 'no credits';

export const levelText = (level: Level | undefined): string => (level ? `${level.framework} ${level.level}` : '');

export const formatNumber = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');

/** A failed call, said plainly (role="alert" so screen readers announce it). */
export function problemBox(error: unknown): HTMLElement {
  const { title, detail, items } = problemMessage(error);
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', {}, title),
    detail ? h('p', {}, detail) : null,
    items.length ? h('ul', {}, ...items.map((item) => h('li', {}, item))) : null,
  );
}

export const loading = (what: string): HTMLElement => h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);

export const empty = (text: string): HTMLElement => h('p', { class: 'empty' }, text);

export function section(title: Child, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

/** A learner id to open (`open` gets it trimmed). */
export function learnerForm(open: (learnerId: string) => void): HTMLFormElement {
  const input = h('input', { id: 'learner-id', name: 'learner', required: true, autocomplete: 'off' });
  return h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        open(input.value.trim());
      },
    },
    h('label', { for: 'learner-id' }, 'Learner id'),
    input,
    h('button', { type: 'submit', class: 'button' }, 'Open'),
  );
}

/**
 * Pages of events appended to `list` as they come: the first given, each next one fetched from `path` (with `query`
 * and its cursor) when the button `label` is pressed. Answers the pager that holds the button (empty on the last page).
 */
export function eventPages<E extends HistoryEvent>(
  list: HTMLElement,
  first: Page<'events', E>,
  { path, query = {}, label }: { path: string; query?: Record<string, string>; label: string },
  item: (event: E) => Node,
): HTMLElement {
  const more = h('div', { class: 'pager' });
  const show = (page: Page<'events', E>) => {
    append(list, page.events.map(item));
    fill(
      more,
      page.next
        ? h(
            'button',
            {
              type: 'button',
              class: 'button secondary',
              onclick: async () => {
                try {
                  show(await getJson(withQuery(path, { ...query, cursor: page.next })));
                } catch (error) {
                  fill(more, problemBox(error));
                }
              },
            },
            label,
          )
        : null,
    );
  };
  show(first);
  return more;
}
