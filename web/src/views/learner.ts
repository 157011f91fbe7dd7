import { getBlob, getJson, segment, withQuery } from '../api';
import { type Catalogue, loadCatalogue } from '../catalogue';
import { creditsText, empty, KINDS, levelText, formatNumber, problemBox, section, statusPill } from '../components';
import { download, endOfLocalDay, fill, h, time, toLocalInput } from '../dom';
import { claimsOf, currentToken } from '../session';
import { awardType, creditFigures, stackingTree, stillNeeded } from '../stacking-tree';
import type { LearnerRecords, Progress, Transcript, TranscriptAward } from '../types';

/**
 * When the record is read: `asOf`, as the ledger knew it then (by recording time); `effectiveAt`, what the learner had
 * achieved by then (by the dates things happened). Either, both or neither (now).
 */
export type RecordWhen = { asOf?: string; effectiveAt?: string };

/** A learner's micro-credentials by kind, their qualifications, and every pathway as a stacking tree. */
export async function learnerView(
  root: HTMLElement,
  learnerId: string,
  when: RecordWhen,
  navigate: (when: RecordWhen) => void,
): Promise<void> {
  const [catalogue, transcript, records] = await Promise.all([
    loadCatalogue(),
    getJson<Transcript>(withQuery(`/learners/${segment(learnerId)}/transcript`, when)),
    getJson<LearnerRecords>(`/learners/${segment(learnerId)}/records`),
  ]);
  const person = personName(records.names);
  const valid = transcript.awards.filter((award) => award.status === 'valid').length;
  // Offer only what the token may fetch (the API decides; this spares a click on a certain 403).
  const roles = new Set(claimsOf(currentToken() ?? '')?.roles ?? []);
  fill(
    root,
    h(
      'header',
      { class: 'view-head' },
      h('p', { class: 'eyebrow' }, 'Learner record'),
      h('h1', {}, person(learnerId)),
      records.names[learnerId] ? h('p', { class: 'muted learner-id' }, learnerId) : null,
      h(
        'p',
        { class: 'summary' },
        `${transcript.awards.length} micro-credential${transcript.awards.length === 1 ? '' : 's'}, ${valid} valid` +
          (transcript.creditTotals.length ? ', worth' : ''),
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
        roles.has('learner') || roles.has('registrar')
          ? clrDownloads(learnerId, [...new Set(transcript.awards.map((award) => award.issuerId))], when)
          : null,
        roles.has('auditor')
          ? h('a', { class: 'button secondary', href: `#/auditor/${segment(learnerId)}` }, 'Audit timeline')
          : null,
      ),
      whenForm(when, navigate),
    ),
    inProgress(records, person),
    credentials(transcript.awards, catalogue),
    qualifications(transcript),
    section('Pathways', h('div', { class: 'pathways', id: 'pathways' }, h('p', { class: 'loading' }, 'Loading…'))),
  );
  await pathways(root.querySelector<HTMLElement>('#pathways')!, learnerId, catalogue, when);
}

/**
 * The record at a point in time: "as the ledger knew it" (an instant, by recording time) and "as of the date it
 * happened" (a day, by the dates things happened: records moved from another system carry theirs). The transcript,
 * the pathways and the CLR follow them; what is in progress is always now.
 */
function whenForm(when: RecordWhen, navigate: (when: RecordWhen) => void): HTMLElement {
  const asOf = h('input', {
    type: 'datetime-local',
    id: 'record-as-of',
    name: 'asOf',
    step: 1,
    value: when.asOf ? toLocalInput(when.asOf) : '',
  });
  const effectiveAt = h('input', {
    type: 'date',
    id: 'record-effective-at',
    name: 'effectiveAt',
    value: when.effectiveAt ? toLocalInput(when.effectiveAt).slice(0, 10) : '',
  });
  const instant = (value: string) => (value && !Number.isNaN(Date.parse(value)) ? value : undefined);
  const caption = [
    when.effectiveAt ? ['what had been achieved by ', time(when.effectiveAt, 'date')] : null,
    when.asOf ? [when.effectiveAt ? ', ' : '', 'as the ledger knew it at ', time(when.asOf)] : null,
  ];
  return h(
    'div',
    { class: 'record-when' },
    h(
      'form',
      {
        class: 'inline-form',
        id: 'record-when',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const recorded = instant(asOf.value);
          const happened = instant(effectiveAt.value);
          navigate({
            asOf: recorded && new Date(recorded).toISOString(),
            effectiveAt: happened && endOfLocalDay(happened),
          });
        },
      },
      h('label', { for: 'record-as-of' }, 'As the ledger knew it at'),
      asOf,
      h('label', { for: 'record-effective-at' }, 'As of the date it happened'),
      effectiveAt,
      h('button', { type: 'submit', class: 'button' }, 'Show'),
      when.asOf || when.effectiveAt
        ? h('button', { type: 'button', class: 'button secondary', onclick: () => navigate({}) }, 'Now')
        : null,
    ),
    when.asOf || when.effectiveAt
      ? h('p', { class: 'as-of-caption', id: 'record-when-caption' }, 'Showing ', ...caption, '.')
      : null,
  );
}

/** A person by name where they have a learner profile, else (and after erasure) by id. */
const personName =
  (names: Record<string, string>) =>
  (id: string): string =>
    names[id] ?? id;

const STAGES: Record<LearnerRecords['records'][number]['stage'], string> = {
  'awaiting-assessment': 'awaiting assessment',
  'not-yet': 'not yet',
  passed: 'passed, to be awarded',
  awarded: 'awarded',
  revoked: 'revoked',
};

/** The micro-credentials under way: each criterion with its evidence and outcome, what is pending and missing. */
function inProgress(records: LearnerRecords, person: (id: string) => string): HTMLElement {
  const open = records.records.filter((record) => record.stage !== 'awarded');
  return section(
    'In progress',
    open.length
      ? h('ul', { class: 'cards in-progress' }, ...open.map((record) => progressCard(record, person)))
      : empty('Nothing in progress: every micro-credential with evidence has been awarded.'),
  );
}

function progressCard(record: LearnerRecords['records'][number], person: (id: string) => string): HTMLLIElement {
  const missing = record.criteria.filter((criterion) => record.missing.includes(criterion.criterionId));
  return h(
    'li',
    { class: 'card progress-card', 'data-achievement': record.achievementId, 'data-stage': record.stage },
    h(
      'div',
      { class: 'card-head' },
      h('h4', {}, record.title ?? record.achievementId),
      h('span', { class: 'pill pill-open stage' }, STAGES[record.stage]),
    ),
    h(
      'p',
      { class: 'pending' },
      record.pending.length
        ? `${record.pending.length} piece${record.pending.length === 1 ? '' : 's'} of evidence awaiting assessment`
        : 'No evidence awaiting assessment',
    ),
    missing.length
      ? h('p', { class: 'missing' }, 'Missing: ', missing.map((criterion) => criterion.description).join('; '))
      : null,
    h(
      'ul',
      { class: 'criteria' },
      ...record.criteria.map((criterion) => {
        const state =
          criterion.met === true
            ? 'met'
            : criterion.met === false
              ? 'not met'
              : criterion.evidenceIds.length
                ? 'evidence, not assessed'
                : 'no evidence yet';
        return h(
          'li',
          { class: 'criterion', 'data-criterion': criterion.criterionId, 'data-state': state },
          h('span', { class: 'criterion-mark', 'aria-hidden': 'true' }, criterion.met ? '✓' : '○'),
          h('span', {}, criterion.description, criterion.required ? '' : ' (optional)'),
          h('span', { class: 'muted criterion-state' }, ` — ${state}`),
        );
      }),
    ),
    h(
      'details',
      { class: 'record-details' },
      h('summary', {}, 'Evidence and assessments'),
      h(
        'ul',
        { class: 'evidence' },
        ...record.evidence.map((item) =>
          h(
            'li',
            { 'data-evidence': item.evidenceId },
            h('strong', {}, item.description),
            ' · observed by ',
            h('span', { class: 'person' }, person(item.observedBy)),
            ' · ',
            time(item.observedAt, 'date'),
            ' · ',
            item.assessed ? 'assessed' : h('em', {}, 'awaiting assessment'),
          ),
        ),
        ...record.assessments.map((assessment) =>
          h(
            'li',
            { 'data-assessment': assessment.assessmentId, 'data-outcome': assessment.outcome },
            'Assessed by ',
            h('span', { class: 'person' }, person(assessment.assessor)),
            ' · ',
            time(assessment.assessedAt, 'date'),
            ' · ',
            h('strong', {}, assessment.outcome === 'passed' ? 'passed' : 'not yet'),
          ),
        ),
      ),
    ),
  );
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

async function pathways(
  container: HTMLElement,
  learnerId: string,
  catalogue: Catalogue,
  when: RecordWhen,
): Promise<void> {
  // Staff read progress on their own issuers' pathways only (the learner on all): the page asks for those alone.
  const claims = claimsOf(currentToken() ?? '');
  const ownRecord = claims?.roles.includes('learner') && claims.learner === learnerId;
  const list = catalogue
    .pathwayList()
    .filter((pathway) => pathway.status === 'published' && (ownRecord || claims?.issuers.includes(pathway.issuerId)));
  if (!list.length) return fill(container, empty('No pathways are published.'));
  const cards = await Promise.all(
    list.map(async (pathway) => {
      try {
        const progress = await getJson<Progress>(
          withQuery(`/learners/${segment(learnerId)}/pathways/${segment(pathway.pathwayId)}/progress`, when),
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

/**
 * The learner's CLR 2.0 (a credential per issuer), as JSON or VC-JWT. It needs the token (registrar or the learner),
 * so it is fetched and handed over as a file rather than linked.
 */
function clrDownloads(learnerId: string, issuers: string[], when: RecordWhen): HTMLElement {
  const status = h('span', { class: 'inline-status', role: 'status' });
  const fetchClr = async (issuer: string | undefined, format: 'json' | 'jwt') => {
    fill(status, 'Preparing…');
    try {
      const path = withQuery(`/learners/${segment(learnerId)}/clr`, {
        issuer,
        format: format === 'jwt' ? 'jwt' : undefined,
        ...when,
      });
      download(await getBlob(path), `${learnerId}${issuer ? `-${issuer}` : ''}-clr.${format}`);
      fill(status);
    } catch (error) {
      fill(status, problemBox(error));
    }
  };
  const buttons = (issuer: string | undefined) => [
    h(
      'button',
      { type: 'button', class: 'button', 'data-clr': 'json', onclick: () => fetchClr(issuer, 'json') },
      'CLR 2.0 JSON',
    ),
    h(
      'button',
      { type: 'button', class: 'button secondary', 'data-clr': 'jwt', onclick: () => fetchClr(issuer, 'jwt') },
      'VC-JWT',
    ),
  ];
  return h(
    'div',
    { class: 'clr' },
    h('span', { class: 'clr-label' }, 'Transcript credential'),
    // One CLR per issuer: with several, each names its issuer.
    issuers.length > 1
      ? issuers.map((issuer) =>
          h('span', { class: 'clr-issuer' }, h('span', { class: 'muted' }, issuer), ...buttons(issuer)),
        )
      : buttons(undefined),
    status,
  );
}
