import { getBlob, getJson, segment } from '../api';
import {
  Catalogue,
  creditsText,
  empty,
  KINDS,
  levelText,
  formatNumber,
  problemBox,
  section,
  statusPill,
} from '../components';
import { download, fill, h, time } from '../dom';
import { awardType, creditFigures, stackingTree, stillNeeded } from '../stacking-tree';
import type { Achievement, Pathway, Progress, Transcript, TranscriptAward } from '../types';

/** Loads the catalogues every view names things from. */
export async function loadCatalogue(): Promise<Catalogue> {
  const [achievements, pathways] = await Promise.all([
    getJson<{ achievements: Achievement[] }>('/achievements'),
    getJson<{ pathways: Pathway[] }>('/pathways'),
  ]);
  return new Catalogue(achievements.achievements, pathways.pathways);
}

/** A learner's micro-credentials by kind, their qualifications, and every pathway as a stacking tree. */
export async function learnerView(root: HTMLElement, learnerId: string): Promise<void> {
  const [catalogue, transcript] = await Promise.all([
    loadCatalogue(),
    getJson<Transcript>(`/learners/${segment(learnerId)}/transcript`),
  ]);
  const valid = transcript.awards.filter((award) => award.status === 'valid').length;
  fill(
    root,
    h(
      'header',
      { class: 'view-head' },
      h('p', { class: 'eyebrow' }, 'Learner record'),
      h('h1', {}, learnerId),
      h(
        'p',
        { class: 'summary' },
        `${transcript.awards.length} micro-credential${transcript.awards.length === 1 ? '' : 's'}, ${valid} valid`,
        ...transcript.creditTotals.map((total) =>
          h(
            'span',
            { class: 'total', title: 'Credits of valid micro-credentials' },
            `${formatNumber(total.value)} ${total.framework}`,
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        clrButton(learnerId),
        h('a', { class: 'button secondary', href: `#/auditor/${segment(learnerId)}` }, 'Timeline'),
      ),
    ),
    credentials(transcript.awards, catalogue),
    qualifications(transcript),
    section('Pathways', h('div', { class: 'pathways', id: 'pathways' }, h('p', { class: 'loading' }, 'Loading…'))),
  );
  await pathways(root.querySelector<HTMLElement>('#pathways')!, learnerId, catalogue);
}

function credentials(awards: TranscriptAward[], catalogue: Catalogue): HTMLElement {
  return section(
    'Micro-credentials',
    h(
      'div',
      { class: 'kinds' },
      ...KINDS.map(({ kind, heading, verb }) => {
        const ofKind = awards.filter(
          (award) => (award.kind ?? catalogue.achievement(award.achievementId)?.kind) === kind,
        );
        return h(
          'section',
          { class: `kind kind-${kind}`, 'data-kind': kind, 'aria-labelledby': `kind-${kind}` },
          h('h3', { id: `kind-${kind}` }, heading, ' ', h('span', { class: 'verb' }, `“${verb}”`)),
          ofKind.length
            ? h('ul', { class: 'cards' }, ...ofKind.map((award) => credentialCard(award, catalogue)))
            : empty(`No ${heading.toLowerCase()} yet.`),
        );
      }),
    ),
  );
}

function credentialCard(award: TranscriptAward, catalogue: Catalogue): HTMLLIElement {
  const statement = catalogue.achievement(award.achievementId, award.version)?.statement;
  const credential = `/awards/${segment(award.awardId)}/credential`;
  return h(
    'li',
    { class: `card status-${award.status}`, 'data-award': award.awardId, 'data-status': award.status },
    h('div', { class: 'card-head' }, h('h4', {}, award.title), statusPill(award.status)),
    statement ? h('p', { class: 'statement' }, statement) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Credits'),
      h('dd', { class: 'credits' }, creditsText(award.credits)),
      h('dt', {}, 'Level'),
      h('dd', {}, levelText(award.level)),
      h('dt', {}, 'Issued'),
      h('dd', {}, time(award.issuedAt, 'date')),
      award.validUntil ? [h('dt', {}, 'Valid until'), h('dd', {}, time(award.validUntil, 'date'))] : null,
    ),
    h(
      'p',
      { class: 'downloads' },
      'Open Badges 3.0: ',
      h('a', { href: credential, download: `${award.awardId}.json`, class: 'credential-json' }, 'JSON'),
      ' · ',
      h('a', { href: `${credential}?format=jwt`, download: `${award.awardId}.jwt`, class: 'credential-jwt' }, 'VC-JWT'),
    ),
  );
}

function qualifications(transcript: Transcript): HTMLElement {
  return section(
    'Qualifications',
    transcript.qualifications.length
      ? h(
          'ul',
          { class: 'qualifications' },
          ...transcript.qualifications.map((qualification) =>
            h(
              'li',
              { 'data-pathway': qualification.pathwayId },
              h('span', { class: 'award-tag' }, awardType(qualification.awardType)),
              h('strong', {}, qualification.title),
              statusPill(qualification.status),
              h(
                'span',
                { class: 'muted' },
                creditsText(qualification.credits),
                ' · conferred ',
                time(qualification.conferredAt, 'date'),
              ),
            ),
          ),
        )
      : empty('No qualification conferred yet.'),
  );
}

async function pathways(container: HTMLElement, learnerId: string, catalogue: Catalogue): Promise<void> {
  const list = catalogue.pathwayList().filter((pathway) => pathway.status === 'published');
  if (!list.length) return fill(container, empty('No pathways are published.'));
  const cards = await Promise.all(
    list.map(async (pathway) => {
      try {
        const progress = await getJson<Progress>(
          `/learners/${segment(learnerId)}/pathways/${segment(pathway.pathwayId)}/progress`,
        );
        return pathwayCard(progress, catalogue);
      } catch (error) {
        return h('article', { class: 'pathway' }, h('h3', {}, pathway.pathwayId), problemBox(error));
      }
    }),
  );
  // The widest pathways (those nesting others) first: the micro-degree before the certificate it contains.
  fill(container, ...cards.sort((a, b) => b.querySelectorAll('li').length - a.querySelectorAll('li').length));
}

function pathwayCard(progress: Progress, catalogue: Catalogue): HTMLElement {
  return h(
    'article',
    { class: `pathway ${progress.satisfied ? 'complete' : 'open'}`, 'data-pathway': progress.pathwayId },
    h(
      'header',
      {},
      h('span', { class: 'award-tag' }, awardType(progress.award.type)),
      h('h3', {}, progress.title),
      h(
        'span',
        { class: `pill ${progress.satisfied ? 'pill-valid' : 'pill-open'}` },
        progress.satisfied ? 'complete' : 'in progress',
      ),
    ),
    creditFigures(progress),
    stillNeeded(progress, catalogue),
    stackingTree(progress, catalogue),
  );
}

function clrButton(learnerId: string): HTMLElement {
  const status = h('span', { class: 'inline-status', role: 'status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: async () => {
        fill(status, 'Preparing…');
        try {
          download(await getBlob(`/learners/${segment(learnerId)}/clr`), `${learnerId}-clr.json`);
          fill(status);
        } catch (error) {
          fill(status, problemBox(error));
        }
      },
    },
    'Download CLR 2.0 transcript',
  );
  return h('span', { class: 'clr' }, button, status);
}
