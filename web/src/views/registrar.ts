import { getJson, withQuery, segment } from '../api';
import { type Catalogue, loadCatalogue } from '../catalogue';
import { empty, statusPill } from '../components';
import { fill, h, time } from '../dom';
import type { Page, SearchItem } from '../types';

const STATUSES = ['valid', 'expired', 'suspended', 'revoked'] as const;
const PAGE_SIZES = ['10', '25', '50', '100'] as const;
const DEFAULT_PAGE_SIZE = '25';

export interface SearchFilters {
  learnerIdPrefix?: string;
  achievementId?: string;
  status?: string;
  /** Awards per page. */
  limit?: string;
  cursor?: string;
  /** How many pages in: the cursor is opaque, so the page number travels beside it. */
  page?: string;
}

/** Awards across learners, filtered by learner, achievement and status, a page at a time; each row opens its learner. */
export async function registrarView(
  root: HTMLElement,
  filters: SearchFilters,
  navigate: (filters: SearchFilters) => void,
): Promise<void> {
  const [catalogue, page] = await Promise.all([
    loadCatalogue(),
    getJson<Page<'items', SearchItem>>(
      withQuery('/transcripts', {
        learnerIdPrefix: filters.learnerIdPrefix,
        achievementId: filters.achievementId,
        status: filters.status,
        cursor: filters.cursor,
        limit: filters.limit ?? DEFAULT_PAGE_SIZE,
      }),
    ),
  ]);
  const pageNumber = Number(filters.page ?? '1');
  fill(
    root,
    h(
      'header',
      { class: 'view-head' },
      h('p', { class: 'eyebrow' }, 'Registrar'),
      h('h1', {}, 'Learners and transcripts'),
      openLearner(),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, 'Search awards'),
      searchForm(filters, catalogue, navigate),
      results(page.items, catalogue),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Result pages' },
        pageNumber > 1
          ? h(
              'button',
              {
                type: 'button',
                class: 'button secondary',
                onclick: () => navigate({ ...filters, cursor: undefined, page: undefined }),
              },
              '« First page',
            )
          : null,
        h('span', { class: 'muted' }, `Page ${pageNumber}`),
        page.next
          ? h(
              'button',
              {
                type: 'button',
                class: 'button secondary',
                id: 'next-page',
                onclick: () => navigate({ ...filters, cursor: page.next, page: String(pageNumber + 1) }),
              },
              'Next page »',
            )
          : null,
      ),
    ),
  );
}

function openLearner(): HTMLElement {
  const input = h('input', {
    id: 'open-learner',
    name: 'learner',
    required: true,
    autocomplete: 'off',
    placeholder: 'e.g. ada',
  });
  return h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        location.hash = `#/learner/${segment(input.value.trim())}`;
      },
    },
    h('label', { for: 'open-learner' }, 'Open a learner'),
    input,
    h('button', { type: 'submit', class: 'button' }, 'Open'),
  );
}

function searchForm(
  filters: SearchFilters,
  catalogue: Catalogue,
  navigate: (filters: SearchFilters) => void,
): HTMLElement {
  const learner = h('input', {
    id: 'search-learner',
    name: 'learnerIdPrefix',
    value: filters.learnerIdPrefix ?? '',
    autocomplete: 'off',
    placeholder: 'Learner id starts with…',
  });
  const achievement = h(
    'select',
    { id: 'search-achievement', name: 'achievementId' },
    h('option', { value: '' }, 'Any micro-credential'),
    ...catalogue
      .achievementList()
      .map((entry) =>
        h(
          'option',
          { value: entry.achievementId, selected: entry.achievementId === filters.achievementId },
          catalogue.achievementTitle(entry.achievementId),
        ),
      ),
  );
  const status = h(
    'select',
    { id: 'search-status', name: 'status' },
    h('option', { value: '' }, 'Any status'),
    ...STATUSES.map((value) => h('option', { value, selected: value === filters.status }, value)),
  );
  const limit = h(
    'select',
    { id: 'search-limit', name: 'limit' },
    ...PAGE_SIZES.map((value) =>
      h('option', { value, selected: value === (filters.limit ?? DEFAULT_PAGE_SIZE) }, value),
    ),
  );
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        navigate({
          learnerIdPrefix: learner.value.trim() || undefined,
          achievementId: achievement.value || undefined,
          status: status.value || undefined,
          limit: limit.value === DEFAULT_PAGE_SIZE ? undefined : limit.value,
        });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'search-learner' }, 'Learner'), learner),
    h('div', { class: 'field' }, h('label', { for: 'search-achievement' }, 'Micro-credential'), achievement),
    h('div', { class: 'field' }, h('label', { for: 'search-status' }, 'Status'), status),
    h('div', { class: 'field' }, h('label', { for: 'search-limit' }, 'Per page'), limit),
    h('button', { type: 'submit', class: 'button' }, 'Search'),
  );
}

function results(items: SearchItem[], catalogue: Catalogue): HTMLElement {
  if (!items.length) return empty('No award matches these filters.');
  return h(
    'table',
    { class: 'results' },
    h('caption', { class: 'visually-hidden' }, 'Awards found'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Learner', 'Micro-credential', 'Status', 'Issued', 'Valid until', 'Credential'].map((name) =>
          h('th', { scope: 'col' }, name),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...items.map((item) =>
        h(
          'tr',
          { 'data-learner': item.learnerId, 'data-status': item.status },
          h('td', {}, h('a', { href: `#/learner/${segment(item.learnerId)}` }, item.learnerId)),
          h(
            'td',
            {},
            catalogue.achievementTitle(item.achievementId),
            h('span', { class: 'muted' }, ` v${item.version}`),
          ),
          h('td', {}, statusPill(item.status)),
          h('td', {}, time(item.issuedAt, 'date')),
          h('td', {}, item.validUntil ? time(item.validUntil, 'date') : '—'),
          h(
            'td',
            {},
            h('a', { href: `/awards/${segment(item.awardId)}/credential`, download: `${item.awardId}.json` }, 'OB 3.0'),
          ),
        ),
      ),
    ),
  );
}
