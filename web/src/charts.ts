import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { h } from './dom';

// Only what the analytics view draws, so the bundle carries no more of chart.js than it needs. Chart.js draws on a
// canvas and sizes it through the CSSOM (element.style), which a Content-Security-Policy without 'unsafe-inline'
// allows: it injects no stylesheet and evaluates no code.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = { bar: '#2f6fdb', second: '#0f8a7e', third: '#7b4bc4', ink: '#4b5567', line: '#dfe3ea' };
export const SERIES_COLOURS = [COLOURS.bar, COLOURS.second, COLOURS.third, '#8a4b00'];

Chart.defaults.color = COLOURS.ink;
Chart.defaults.borderColor = COLOURS.line;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
// Drawn at once: screenshots and tests see the final chart, and people with reduced motion see no animation.
Chart.defaults.animation = false;

export interface BarSeries {
  label: string;
  values: number[];
  colour?: string;
}

export interface BarChart {
  /** The chart's name, its canvas's accessible name too. */
  title: string;
  labels: string[];
  series: BarSeries[];
  horizontal?: boolean;
  /** The value axis's bounds and tick text, e.g. 0–100 with "%". */
  max?: number;
  unit?: string;
  stacked?: boolean;
}

/**
 * A bar chart on a canvas, in a figure with its caption, and the same figures as a table under "Data" (for screen
 * readers, and for whoever wants the numbers).
 */
export function barChart(chart: BarChart, id: string): { figure: HTMLElement; draw: () => Chart } {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': chart.title });
  const figure = h(
    'figure',
    { class: 'chart', 'data-chart': id },
    h('figcaption', {}, chart.title),
    h('div', { class: 'chart-canvas' }, canvas),
    dataTable(chart),
  );
  const valueAxis = {
    beginAtZero: true,
    stacked: chart.stacked,
    ...(chart.max === undefined ? {} : { max: chart.max }),
    ticks: { precision: 0, callback: (value: string | number) => `${value}${chart.unit ?? ''}` },
  };
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: chart.labels,
      datasets: chart.series.map((series, index) => ({
        label: series.label,
        data: series.values,
        backgroundColor: series.colour ?? SERIES_COLOURS[index % SERIES_COLOURS.length],
        borderRadius: 4,
      })),
    },
    options: {
      indexAxis: chart.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: chart.series.length > 1, position: 'bottom' } },
      scales: chart.horizontal
        ? { x: valueAxis, y: { stacked: chart.stacked } }
        : { y: valueAxis, x: { stacked: chart.stacked } },
    },
  };
  return { figure, draw: () => new Chart(canvas, config) };
}

function dataTable(chart: BarChart): HTMLElement {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, 'Data'),
    h(
      'table',
      { class: 'results' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, ''),
          ...chart.series.map((series) => h('th', { scope: 'col' }, series.label)),
        ),
      ),
      h(
        'tbody',
        {},
        ...chart.labels.map((label, row) =>
          h(
            'tr',
            { 'data-label': label },
            h('th', { scope: 'row' }, label),
            ...chart.series.map((series) => h('td', {}, `${series.values[row]}${chart.unit ?? ''}`)),
          ),
        ),
      ),
    ),
  );
}
