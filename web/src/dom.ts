/** Building the page with DOM calls only: no HTML strings, so no data from the API is ever parsed as markup. */

export type Child = Node | string | number | null | undefined | false | Child[];
type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | undefined | Listener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const FORMATS = {
  date: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }),
  // Events of one learner often fall within a minute of each other: an auditor needs the seconds.
  second: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
};

/** A `<time>` element in local time, its exact instant in the title. */
export function time(instant: string, precision: keyof typeof FORMATS = 'second'): HTMLTimeElement {
  return h('time', { datetime: instant, title: instant }, FORMATS[precision].format(new Date(instant)));
}

/** Starts a download of `blob` as `filename` (for responses that need the bearer token, so cannot be plain links). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `datetime-local` speaks local time without a zone; the API takes an ISO instant. */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** A `date` input's day as the instant it ends (local time): "by that date" includes the day itself. */
export const endOfLocalDay = (day: string): string => new Date(`${day}T23:59:59.999`).toISOString();
