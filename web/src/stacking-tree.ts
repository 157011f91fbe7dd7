import type { Catalogue } from './catalogue';
import { formatNumber } from './components';
import { type Child, h } from './dom';
import type { MissingItem, NodeResult, Progress } from './types';

/** A pathway's rule as a nested list: every node done ✓ or missing, with counts and credits toward the total. */
export function stackingTree(progress: Progress, catalogue: Catalogue): HTMLElement {
  return h('ul', { class: 'tree', 'aria-label': `Rule of ${progress.title}` }, treeNode(progress.tree, catalogue));
}

function treeNode(node: NodeResult, catalogue: Catalogue): HTMLLIElement {
  const state = node.satisfied ? 'done' : 'missing';
  const children = node.children ?? [];
  return h(
    'li',
    { class: `node node-${state}`, 'data-state': state },
    h(
      'div',
      { class: 'node-line' },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, node.satisfied ? '✓' : ''),
      h('span', { class: 'node-label' }, ...label(node, catalogue)),
      h('span', { class: `state state-${state}` }, stateText(node)),
    ),
    children.length ? h('ul', {}, ...children.map((child) => treeNode(child, catalogue))) : null,
  );
}

function stateText(node: NodeResult): string {
  if (node.satisfied) return node.conferred ? 'conferred' : 'done';
  const lapsed = node.missing?.find(
    (item): item is Extract<MissingItem, { type: 'achievement' }> => item.type === 'achievement',
  );
  if ('achievement' in node.rule && lapsed && lapsed.status !== 'not-held') return `missing (${lapsed.status})`;
  return 'missing';
}

const doneOf = (node: NodeResult): number => (node.children ?? []).filter((child) => child.satisfied).length;

function label(node: NodeResult, catalogue: Catalogue): Child[] {
  const rule = node.rule;
  if ('achievement' in rule) {
    const definition = catalogue.achievement(rule.achievement);
    return [
      h('span', { class: 'node-title' }, definition?.title ?? rule.achievement),
      definition ? h('span', { class: `kind-tag kind-${definition.kind}` }, definition.kind) : null,
    ];
  }
  if ('pathway' in rule) {
    const definition = catalogue.pathway(rule.pathway);
    return [
      h('span', { class: 'node-title' }, definition?.title ?? rule.pathway),
      definition ? h('span', { class: 'award-tag' }, awardType(definition.award.type)) : null,
    ];
  }
  if ('allOf' in rule) return [`All of these (${doneOf(node)} of ${rule.allOf.length} done)`];
  if ('anyOf' in rule) return [`Any one of these (${doneOf(node)} of ${rule.anyOf.length} done)`];
  if ('nOf' in rule) return [`${rule.nOf.n} of these ${rule.nOf.of.length} (${doneOf(node)} done)`];
  if ('credits' in rule) {
    const { framework, min } = rule.credits;
    const earned = node.earned ?? 0;
    return [
      `At least ${formatNumber(min)} ${framework}`,
      h('meter', { min: 0, max: min, value: Math.min(earned, min), 'aria-label': `${framework} earned` }),
      h('span', { class: 'node-figure' }, `${formatNumber(earned)} of ${formatNumber(min)} ${framework}`),
    ];
  }
  const { min, kind } = rule.count;
  return [
    `At least ${min} ${kind ?? ''} award${min === 1 ? '' : 's'} (${node.counted.length} held)`.replace('  ', ' '),
  ];
}

/** `ext:MicroDegree` → `Micro-degree`; a plain type (Certificate) as is. */
export function awardType(type: string): string {
  const name = type.replace(/^ext:/, '');
  return name === 'MicroDegree' ? 'Micro-degree' : name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** `[earned, required]` of the pathway's credits, when it counts credits. */
export function creditFigures(progress: Progress): Child {
  const credits = progress.credits;
  if (!credits) return null;
  const required = credits.required ?? progress.award.credits.find((c) => c.framework === credits.framework)?.value;
  const text =
    required === undefined
      ? `${formatNumber(credits.earned)} ${credits.framework} earned`
      : `${formatNumber(credits.earned)} of ${formatNumber(required)} ${credits.framework}`;
  return h(
    'div',
    { class: 'credit-progress' },
    required === undefined
      ? null
      : h('progress', {
          max: required,
          value: Math.min(credits.earned, required),
          'aria-label': `Credits toward ${progress.title}`,
        }),
    h('span', { class: 'credit-figure' }, text),
  );
}

/** What the learner still needs, in words, from the progress's `missing` items. */
export function stillNeeded(progress: Progress, catalogue: Catalogue): Child {
  if (progress.satisfied || !progress.missing.length) return null;
  return h(
    'div',
    { class: 'still-needed' },
    h('strong', {}, 'Still needed'),
    h('ul', {}, ...progress.missing.map((item) => h('li', {}, describe(item, catalogue)))),
  );
}

function describe(item: MissingItem, catalogue: Catalogue): string {
  switch (item.type) {
    case 'achievement': {
      const title = catalogue.achievementTitle(item.achievementId);
      return item.status === 'not-held' ? title : `${title} (held, but ${item.status})`;
    }
    case 'pathway':
      return catalogue.pathway(item.pathwayId)?.title ?? item.pathwayId;
    case 'credits':
      return `${formatNumber(item.required - item.earned)} more ${item.framework} (${formatNumber(item.earned)} of ${formatNumber(item.required)})`;
    case 'count':
      return `${item.required - item.have} more ${item.kind ?? ''} award${item.required - item.have === 1 ? '' : 's'}`.replace(
        '  ',
        ' ',
      );
    case 'choice':
      return `${item.needed} more of: ${item.options.map((option) => option.map((inner) => describe(inner, catalogue)).join(' and ')).join('; ')}`;
  }
}
