/**
 * Bar charts drawn by Chart.js, bundled into the page's own script (no CDN, nothing loaded at
 * run time, so the strict CSP holds). Only the parts a bar chart needs are registered, which
 * keeps the bundle small. The chart is a picture of a table that sits beside it: the numbers a
 * screen reader or a careful reader needs are in that table, so the canvas is labelled as an
 * image that points there.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { h } from './dom';

export type BarChart = Chart<'bar', number[], string | string[]>;

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colours that hold 3:1 against white and apart from each other; the table carries the values. */
export const SERIES_COLOURS = [
  '#0b5cad',
  '#b35c00',
  '#2f6b3a',
  '#8e2c8a',
  '#a4161a',
  '#4d5661',
  '#00707a',
  '#6b4e16',
];

export interface BarSeries {
  label: string;
  values: number[];
}

export interface BarChartSpec {
  /** What the picture shows, read out for the canvas. */
  label: string;
  categories: string[];
  series: BarSeries[];
  /** Bars side by side along the y axis: long step names read better that way. */
  horizontal?: boolean;
  stacked?: boolean;
  /** The value axis's title, e.g. "Saker" or "Dager". */
  unit: string;
}

/** A chart in its own box; its height follows the number of bars when they lie down. */
export function barChart(spec: BarChartSpec): { box: HTMLElement; chart: BarChart } {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${spec.label}. Tallene står i tabellen under.`,
  });
  const box = h('div', { class: 'chart-box' }, canvas);
  if (spec.horizontal)
    box.classList.add(spec.categories.length > 6 ? 'chart-tall' : 'chart-medium');
  const labels = spec.categories.map((c) => wrapLabel(c, spec.horizontal ? 30 : 18));
  const datasets: ChartDataset<'bar', number[]>[] = spec.series.map((s, i) => ({
    label: s.label,
    data: s.values,
    backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
    borderWidth: 0,
  }));
  const valueAxis = {
    beginAtZero: true,
    stacked: spec.stacked ?? false,
    title: { display: true, text: spec.unit },
    ticks: { precision: 0 },
  };
  const categoryAxis = { stacked: spec.stacked ?? false, ticks: { autoSkip: false } };
  const chart = new Chart<'bar', number[], string | string[]>(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      // Drawn at once: the numbers are the point, and a moving picture distracts.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: 'nb-NO',
      scales: spec.horizontal
        ? { x: valueAxis, y: categoryAxis }
        : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom' },
      },
    },
  });
  return { box, chart };
}

/** A long category name on lines of about `width` characters: Chart.js cuts one line short. */
export function wrapLabel(text: string, width: number): string | string[] {
  if (text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
