import './styles.css';
import { withQuery } from './api';
import { empty, learnerForm, problemBox } from './components';
import { fill, h } from './dom';
import { type Claims, claimsOf, currentToken, forgetToken, rememberToken } from './session';
import { analyticsView } from './views/analytics';
import { auditorView } from './views/auditor';
import { auditorHome } from './views/auditor-home';
import { learnerView } from './views/learner';
import { registrarView, type SearchFilters } from './views/registrar';

type View = 'learner' | 'registrar' | 'auditor' | 'analytics';
const VIEWS: readonly View[] = ['learner', 'registrar', 'auditor', 'analytics'];
const TITLES: Record<View, string> = {
  learner: 'Learner',
  registrar: 'Registrar',
  auditor: 'Auditor',
  analytics: 'Analytics',
};
/** Who may read what each view shows (docs/http-api.md). */
const VIEW_ROLES: Record<View, readonly string[]> = {
  learner: ['learner', 'registrar', 'auditor'],
  registrar: ['registrar'],
  auditor: ['auditor'],
  analytics: ['issuer-admin', 'registrar'],
};

interface Route {
  view?: View;
  learnerId?: string;
  query: URLSearchParams;
}

/** `#/view/learnerId?query`; anything else is the home route. */
function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  const [, view, learnerId] = path.split('/');
  return {
    view: VIEWS.includes(view as View) ? (view as View) : undefined,
    learnerId: learnerId ? decodeURIComponent(learnerId) : undefined,
    query: new URLSearchParams(search),
  };
}

const href = (view: View, learnerId?: string, query: Record<string, string | undefined> = {}): string =>
  withQuery(`#/${view}${learnerId ? `/${encodeURIComponent(learnerId)}` : ''}`, query);

/** Where a token's holder starts: a learner on their own record, staff on the search or the audit. */
function home(claims: Claims | undefined): string {
  if (claims?.learner && claims.roles.includes('learner')) return href('learner', claims.learner);
  if (claims?.roles.includes('auditor') && !claims.roles.includes('registrar')) return href('auditor');
  if (claims?.roles.includes('issuer-admin') && !claims.roles.includes('registrar')) return href('analytics');
  return href('registrar');
}

/** `#token=<jwt>[&view=…][&learner=…]`: a link that signs the tab in, then drops the token from the address bar. */
function takeTokenFromLink(): void {
  if (!location.hash.startsWith('#token=')) return;
  const params = new URLSearchParams(location.hash.slice(1));
  rememberToken(params.get('token') ?? '');
  const view = params.get('view') as View | null;
  const target =
    view && VIEWS.includes(view)
      ? href(view, params.get('learner') ?? undefined)
      : home(claimsOf(currentToken() ?? ''));
  history.replaceState(null, '', `${location.pathname}${location.search}${target}`);
}

function renderSession(): void {
  const session = document.getElementById('session')!;
  const token = currentToken();
  const claims = token ? claimsOf(token) : undefined;
  if (!token) return fill(session, h('span', { class: 'muted' }, 'Not signed in'));
  fill(
    session,
    h(
      'span',
      { class: 'who' },
      h('strong', {}, claims?.sub ?? 'token'),
      claims?.roles.length ? h('span', { class: 'muted' }, ` · ${claims.roles.join(', ')}`) : null,
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button secondary small',
        onclick: () => {
          forgetToken();
          void render();
        },
      },
      'Change token',
    ),
  );
}

/** Marks the current view's tab, and hides those the token's roles cannot use (all shown without a token). */
function renderNav(route: Route): void {
  const roles = claimsOf(currentToken() ?? '')?.roles;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#views a')) {
    if (link.dataset.view === route.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    link.hidden = !!roles && !roles.some((role) => VIEW_ROLES[link.dataset.view as View]?.includes(role));
  }
}

function tokenForm(message?: HTMLElement): HTMLElement {
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    required: true,
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: 'eyJhbGciOiJIUzI1NiIs…',
  });
  return h(
    'section',
    { class: 'panel sign-in' },
    h('h1', {}, 'Paste your token'),
    h(
      'p',
      {},
      'Tessera’s API takes a bearer token. Mint one with ',
      h('code', {}, 'npx tessera token --role registrar --issuer tu-dublin'),
      ' (or ',
      h('code', {}, '--role learner --learner <id>'),
      ', ',
      h('code', {}, '--role auditor'),
      ') and paste it here. It is kept for this tab only.',
    ),
    message ?? null,
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          rememberToken(input.value);
          const route = parseRoute(location.hash);
          if (!route.view) history.replaceState(null, '', home(claimsOf(input.value.trim())));
          void render();
        },
      },
      h('label', { for: 'token' }, 'Bearer token'),
      input,
      h('button', { type: 'submit', class: 'button' }, 'Use this token'),
    ),
  );
}

function learnerPicker(): HTMLElement {
  return h(
    'section',
    { class: 'panel' },
    h('h1', {}, 'Open a learner'),
    learnerForm((learnerId) => {
      location.hash = href('learner', learnerId);
    }),
  );
}

let rendering = 0;

async function render(): Promise<void> {
  const generation = ++rendering;
  renderSession();
  const main = document.getElementById('main')!;
  const route = parseRoute(location.hash);
  renderNav(route);
  const token = currentToken();
  if (!token) return fill(main, tokenForm());
  if (!route.view) {
    history.replaceState(null, '', home(claimsOf(token)));
    return render();
  }
  document.title = `${TITLES[route.view]}${route.learnerId ? ` · ${route.learnerId}` : ''} · Tessera`;
  // Each render draws into its own container: a slower, older render finishing late changes nothing on screen.
  const view = h(
    'div',
    { class: 'view', 'aria-busy': 'true' },
    h('p', { class: 'loading', role: 'status' }, 'Loading…'),
  );
  fill(main, view);
  try {
    await draw(route, view);
  } catch (error) {
    if (isUnauthenticated(error)) {
      // A refused token is of no further use: forget it, so the header and the next visit ask for another.
      forgetToken();
      renderSession();
      renderNav(route);
    }
    fill(view, problemBox(error), isUnauthenticated(error) ? tokenForm() : null);
  } finally {
    view.removeAttribute('aria-busy');
  }
  if (generation === rendering) main.focus({ preventScroll: true });
}

const isUnauthenticated = (error: unknown): boolean => (error as { status?: number }).status === 401;

async function draw(route: Route, view: HTMLElement): Promise<void> {
  const claims = claimsOf(currentToken() ?? '');
  switch (route.view) {
    case 'learner': {
      const learnerId = route.learnerId ?? claims?.learner;
      if (!learnerId) return fill(view, learnerPicker());
      const when = {
        asOf: route.query.get('asOf') ?? undefined,
        effectiveAt: route.query.get('effectiveAt') ?? undefined,
      };
      return learnerView(view, learnerId, when, (next) => {
        location.hash = href('learner', learnerId, { ...next });
      });
    }
    case 'auditor':
      if (!route.learnerId)
        return auditorHome(view, (learnerId) => {
          location.hash = href('auditor', learnerId);
        });
      return auditorView(
        view,
        route.learnerId,
        {
          asOf: route.query.get('asOf') ?? undefined,
          asOfPosition: route.query.get('asOfPosition') ?? undefined,
        },
        (point) => {
          location.hash = href('auditor', route.learnerId, { ...point });
        },
      );
    case 'registrar': {
      const filters: SearchFilters = Object.fromEntries(route.query);
      return registrarView(view, filters, (next) => {
        location.hash = href('registrar', undefined, { ...next });
      });
    }
    case 'analytics':
      return analyticsView(view, claims?.issuers ?? [], route.query.get('issuer') ?? undefined, (issuer) => {
        location.hash = href('analytics', undefined, { issuer });
      });
    default:
      return fill(view, empty('Unknown view.'));
  }
}

takeTokenFromLink();
// A `#token=` link opened in a tab that already shows the page arrives as a hash change, not as a load.
window.addEventListener('hashchange', () => {
  takeTokenFromLink();
  void render();
});
void render();
