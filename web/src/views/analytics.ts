import { getJson, segment } from '../api';
import { type Catalogue, loadCatalogue } from '../catalogue';
import { barChart } from '../charts';
import { empty, section } from '../components';
import { fill, h } from '../dom';
import type { IssuerCharts } from '../types';

/** For issuer-admins and registrars: their issuer's pass rates, time to award, pathway funnels and credits by month. */
export async function analyticsView(
  root: HTMLElement,
  issuers: readonly string[],
  chosen: string | undefined,
  choose: (issuerId: string) => void,
): Promise<void> {
  const issuerId = chosen && issuers.includes(chosen) ? chosen : issuers[0];
  if (!issuerId) return fill(root, empty('This token names no issuer: analytics are per issuer.'));
  const [catalogue, charts] = await Promise.all([
    loadCatalogue(),
    getJson<IssuerCharts>(`/analytics/issuers/${segment(issuerId)}/charts`),
  ]);
  const drawn = [
    passRateChart(charts, catalogue),
    daysToAwardChart(charts),
    ...charts.pathways.map((funnel, index) => funnelChart(funnel, index, catalogue)),
    creditsChart(charts),
  ];
  fill(
    root,
    h(
      'header',
      { class: 'view-head' },
      h('p', { class: 'eyebrow' }, 'Analytics'),
      h('h1', {}, issuerId),
      issuers.length > 1 ? issuerPicker(issuers, issuerId, choose) : null,
    ),
    h(
      'div',
      { class: 'charts' },
      ...drawn.map(({ figure, heading, note }) =>
        section(heading, note ? h('p', { class: 'muted' }, note) : null, figure),
      ),
    ),
  );
  // Drawn once on the page: chart.js sizes each canvas from its container.
  for (const { draw } of drawn) draw?.();
}

interface Drawn {
  heading: string;
  note?: string;
  figure: HTMLElement;
  draw?: () => unknown;
}

function passRateChart(charts: IssuerCharts, catalogue: Catalogue): Drawn {
  const assessed = charts.passRates.filter((entry) => entry.passRate !== null);
  if (!assessed.length) return { heading: 'Pass rate', figure: empty('Nothing assessed yet.') };
  const chart = barChart(
    {
      title: 'Pass rate per micro-credential (% of assessments passed)',
      labels: assessed.map((entry) => catalogue.achievementTitle(entry.achievementId)),
      series: [{ label: 'Pass rate', values: assessed.map((entry) => Math.round((entry.passRate ?? 0) * 100)) }],
      horizontal: true,
      max: 100,
      unit: '%',
    },
    'chart-pass-rate',
  );
  return { heading: 'Pass rate', ...chart };
}

const bucketLabel = ({ fromDays, toDays }: IssuerCharts['daysToAward'][number]): string =>
  toDays === null ? `${fromDays}+ days` : toDays === 1 ? 'under a day' : `${fromDays}–${toDays} days`;

function daysToAwardChart(charts: IssuerCharts): Drawn {
  if (!charts.daysToAward.length) return { heading: 'Time to award', figure: empty('No award yet.') };
  const chart = barChart(
    {
      title: 'Learners by days from first evidence to award',
      labels: charts.daysToAward.map(bucketLabel),
      series: [{ label: 'Learners', values: charts.daysToAward.map((bucket) => bucket.learners) }],
    },
    'chart-days-to-award',
  );
  return { heading: 'Time to award', ...chart };
}

function funnelChart(funnel: IssuerCharts['pathways'][number], index: number, catalogue: Catalogue): Drawn {
  const title = catalogue.pathway(funnel.pathwayId)?.title ?? funnel.pathwayId;
  const total = funnel.achievementIds.length;
  const chart = barChart(
    {
      title: `${title}: learners at each step`,
      labels: [...funnel.steps.map((step) => `${step.atLeast} of ${total} held`), 'Conferred'],
      series: [{ label: 'Learners', values: [...funnel.steps.map((step) => step.learners), funnel.conferred] }],
      horizontal: true,
    },
    `chart-funnel-${index}`,
  );
  chart.figure.dataset.pathway = funnel.pathwayId;
  return {
    heading: `Pathway funnel · ${title}`,
    note: `Learners holding at least so many of its ${total} micro-credentials, valid, then those conferred it.`,
    ...chart,
  };
}

function creditsChart(charts: IssuerCharts): Drawn {
  if (!charts.creditsByMonth.length) return { heading: 'Credits awarded', figure: empty('No award yet.') };
  const months = [...new Set(charts.creditsByMonth.map((entry) => entry.month))];
  const frameworks = [...new Set(charts.creditsByMonth.map((entry) => entry.framework))];
  const chart = barChart(
    {
      title: 'Credits awarded per month',
      labels: months,
      series: frameworks.map((framework) => ({
        label: framework,
        values: months.map(
          (month) =>
            charts.creditsByMonth.find((entry) => entry.month === month && entry.framework === framework)?.value ?? 0,
        ),
      })),
      stacked: true,
    },
    'chart-credits',
  );
  return { heading: 'Credits awarded', ...chart };
}

function issuerPicker(issuers: readonly string[], current: string, choose: (issuerId: string) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'analytics-issuer', onchange: () => choose(select.value) },
    ...issuers.map((issuer) => h('option', { value: issuer, selected: issuer === current }, issuer)),
  );
  return h('p', { class: 'inline-form' }, h('label', { for: 'analytics-issuer' }, 'Issuer'), select);
}
