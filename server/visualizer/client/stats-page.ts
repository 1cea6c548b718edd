/**
 * The kommune's statistics for a leader (a role that sees every case): the figures of
 * `GET …/stats` for a date range and a level or step, each as a bar chart with its numbers in an
 * accessible table beside it, and the same figures as CSV. Months and dates are in words,
 * durations in days, ids under the config's titles. A role that sees only its own cases is told
 * so in words instead; the API refuses it too.
 */
import type { KommuneConfig } from '../../../config/types';
import type { KommuneStats } from '../../api-schemas';
import type { FeedbackStats } from '../../family/feedback-stats';
import { ApiError, apiPath, download, request, staffNames } from './api';
import type { BarChart, BarChartSpec, barChart as drawBarChart } from './bar-chart';
import { notice, renderChrome } from './chrome';
import { loadConfig } from './config-cache';
import { h, replace, type Child } from './dom';
import { counted } from './plural';
import { choiceLabel, humanize } from './schema-form';
import type { Viewer } from './session';

interface StatsQuery {
  from?: string;
  to?: string;
  level?: string;
  step?: string;
  field?: string;
  value?: string;
}

const OUTCOMES: Record<string, string> = {
  closed: 'Avsluttet',
  handed_over: 'Overført',
  withdrawn: 'Trukket',
};

const monthWords = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'UTC',
  month: 'long',
  year: 'numeric',
});
const dayWords = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "2026-01" → "januar 2026". */
export function monthText(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return monthWords.format(new Date(Date.UTC(y, m - 1, 15)));
}

/** "2026-01-05" → "5. januar 2026" (a calendar day, so no time zone moves it). */
export function dayText(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return dayWords.format(new Date(Date.UTC(y, m - 1, d)));
}

const momentWords = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** When open cases were counted: "28. november 2026 kl. 16:29", Oslo time. */
const formatDateTime = (iso: string) => momentWords.format(new Date(iso));

const whole = new Intl.NumberFormat('nb-NO');
const twoDecimals = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 2 });
const count = (n: number) => whole.format(n);
const daysText = (n: number | null) => (n === null ? '–' : twoDecimals.format(n));

export async function statsPage(viewer: Viewer): Promise<void> {
  const { config } = await loadConfig(viewer.kommune);
  if (config.roles[viewer.role]?.sees !== 'kommune') {
    renderChrome(
      viewer,
      'statistikk',
      h('h1', {}, 'Statistikk'),
      notice(
        'info',
        'Statistikken viser alle kommunens saker, så bare roller som ser alle sakene (som ledere) kan åpne den. Din rolle ser bare egne saker.',
      ),
    );
    return;
  }
  // Chart.js is most of this page's script and no other page needs it: loaded here only.
  const [{ barChart }, staff] = await Promise.all([
    import('./bar-chart'),
    staffNames(viewer.kommune),
  ]);
  const nameOf = new Map(staff.map((p) => [p.pseudonym, p.displayName]));

  const from = h('input', { id: 's-from', type: 'date', name: 'from' });
  const to = h('input', { id: 's-to', type: 'date', name: 'to' });
  const level = h(
    'select',
    { id: 's-level' },
    h('option', { value: '' }, 'Alle'),
    [0, 1, 2, 3].map((l) => h('option', { value: String(l) }, levelText(config, l))),
  );
  const step = h(
    'select',
    { id: 's-step' },
    h('option', { value: '' }, 'Alle'),
    Object.entries(config.steps).map(([id, s]) =>
      h('option', { value: id }, `${s.title} (nivå ${s.level})`),
    ),
  );
  // The config's fields with fixed choices (case type, vedtak, arena …), each choice by its title.
  const choices = Object.entries(config.fields ?? {}).flatMap(([field, schema]) =>
    Array.isArray(schema.enum)
      ? schema.enum
          .filter((v): v is string => typeof v === 'string')
          .map((value) => ({
            field,
            value,
            text: `${typeof schema.title === 'string' ? schema.title : humanize(field)}: ${choiceLabel(value)}`,
          }))
      : [],
  );
  const choice = h(
    'select',
    { id: 's-field' },
    h('option', { value: '' }, 'Alle'),
    choices.map((c, i) => h('option', { value: String(i) }, c.text)),
  );
  const fromError = h('p', { class: 'field-error', id: 's-from-error', hidden: true });
  const toError = h('p', { class: 'field-error', id: 's-to-error', hidden: true });
  const submit = h('button', { type: 'submit' }, 'Vis statistikk');
  const form = h(
    'form',
    { class: 'filters stats-filters', 'aria-label': 'Velg periode og saker', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 's-from' }, 'Fra og med'), from, fromError),
    h('div', { class: 'field' }, h('label', { for: 's-to' }, 'Til og med'), to, toError),
    h('div', { class: 'field' }, h('label', { for: 's-level' }, 'Nivå nå'), level),
    h('div', { class: 'field' }, h('label', { for: 's-step' }, 'Steg nå'), step),
    choices.length > 0
      ? h('div', { class: 'field' }, h('label', { for: 's-field' }, 'Valg i skjema'), choice)
      : null,
    h('div', { class: 'form-actions' }, submit),
  );
  const csv = h('a', { class: 'csv-link', 'data-testid': 'csv-link' }, 'Last ned CSV');
  const status = h('p', { class: 'stats-status', role: 'status' });
  const result = h('div', { class: 'stats-sections' });
  const main = renderChrome(
    viewer,
    'statistikk',
    h('h1', {}, `Statistikk for ${config.name}`),
    h(
      'p',
      { class: 'hint' },
      'Nivå og steg velger sakene etter hvor de står ved periodens slutt, valg i skjema etter hva som er registrert. Hvert diagram har tallene sine i en tabell.',
    ),
    form,
    h('p', { class: 'csv-line' }, csv, h('span', { class: 'muted' }, ' (samme periode og utvalg)')),
    status,
    result,
  );

  let charts: BarChart[] = [];
  let query: StatsQuery = {};
  const queryString = (q: StatsQuery) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
    const s = params.toString();
    return s ? `?${s}` : '';
  };

  async function load(): Promise<void> {
    submit.disabled = true;
    status.textContent = 'Henter statistikk …';
    for (const [input, error] of [
      [from, fromError],
      [to, toError],
    ] as const) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      error.hidden = true;
    }
    try {
      const [stats, feedback] = await Promise.all([
        request<KommuneStats>(`${apiPath(viewer.kommune, 'stats')}${queryString(query)}`),
        // Answers to the kommune's surveys, where it has any (not counted by period).
        Object.keys(config.surveys ?? {}).length > 0
          ? request<FeedbackStats>(apiPath(viewer.kommune, 'feedback-stats')).catch(() => null)
          : null,
      ]);
      // The API's default range is shown as chosen, so the form and the CSV say what is shown.
      from.value = stats.range.from;
      to.value = stats.range.to;
      query = { ...query, from: stats.range.from, to: stats.range.to };
      csv.setAttribute('href', `${apiPath(viewer.kommune, 'stats.csv')}${queryString(query)}`);
      for (const c of charts) c.destroy();
      charts = [];
      const sections = [
        ...figures(stats, config, nameOf, barChart),
        ...(feedback ? surveyFigures(feedback, barChart) : []),
      ];
      replace(
        result,
        sections.map((s) => s.section),
      );
      charts = sections.flatMap((s) => (s.draw ? [s.draw()] : []));
      status.textContent = `${dayText(stats.range.from)} – ${dayText(stats.range.to)}: ${counted(stats.totalCases, 'ny sak', 'nye saker')}. Åpne saker telt ${formatDateTime(stats.asOf)}.`;
    } catch (err) {
      status.textContent = '';
      const e = err instanceof ApiError ? err : null;
      for (const d of e?.details ?? []) {
        const [input, error] = d.path === '/query/from' ? [from, fromError] : [to, toError];
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', error.id);
        error.textContent = d.message;
        error.hidden = false;
      }
      for (const c of charts) c.destroy();
      charts = [];
      replace(result, notice('error', e ? e.message : String(err)));
    } finally {
      submit.disabled = false;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const picked = choice.value === '' ? undefined : choices[Number(choice.value)];
    query = {
      from: from.value,
      to: to.value,
      level: level.value,
      step: step.value,
      field: picked?.field,
      value: picked?.value,
    };
    void load();
  });
  csv.addEventListener('click', (e) => {
    // The API wants the bearer token, which a plain link cannot carry: fetch, then save.
    e.preventDefault();
    const href = csv.getAttribute('href');
    if (!href) return;
    download(href, `statistikk-${viewer.kommune}-${query.from}-${query.to}.csv`).catch(
      (err: unknown) =>
        replace(status, notice('error', err instanceof ApiError ? err.message : String(err))),
    );
  });
  await load();
  main.focus({ preventScroll: true });
}

interface Figure {
  section: HTMLElement;
  draw?: () => BarChart;
}

interface TableSpec {
  caption: string;
  columns: string[];
  /** Each row: its heading cell, then the data cells. */
  rows: Array<[Child, ...string[]]>;
}

/** A cell that is a number (or "–" for none): right-aligned, so the digits line up. */
const NUMBER = /^(–|[\d\s]+(,\d+)?)$/;

function table(spec: TableSpec): HTMLElement {
  return h(
    'table',
    { class: 'stats-table' },
    h('caption', {}, spec.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        spec.columns.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      spec.rows.map(([head, ...cells]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, head),
          cells.map((c) => h('td', { class: NUMBER.test(c) ? 'num' : undefined }, c)),
        ),
      ),
    ),
  );
}

function figureWith(
  barChart: typeof drawBarChart,
  id: string,
  title: string,
  intro: Child,
  chart: BarChartSpec | null,
  tableSpec: TableSpec | null,
): Figure {
  const empty = chart === null || tableSpec === null || tableSpec.rows.length === 0;
  const drawn = empty ? null : barChart(chart);
  const section = h(
    'section',
    { class: 'panel stats-figure', 'aria-labelledby': `${id}-title`, 'data-figure': id },
    h('h2', { id: `${id}-title` }, title),
    intro ? h('p', { class: 'hint' }, intro) : null,
    empty
      ? h('p', { class: 'muted' }, 'Ingen saker i perioden og utvalget.')
      : [drawn!.box, table(tableSpec)],
  );
  return { section, draw: drawn ? () => drawn.chart : undefined };
}

/**
 * Per survey with answers, each question with fixed answers as a chart of how many chose each,
 * with the mean of a scale; free text only counted (it may name people, so the API never gives it).
 */
function surveyFigures(feedback: FeedbackStats, barChart: typeof drawBarChart): Figure[] {
  return feedback.surveys
    .filter((survey) => survey.responses > 0)
    .flatMap((survey) => {
      const texts = survey.questions.filter((q) => q.type === 'text');
      return survey.questions.flatMap((q) => {
        const answers = q.distribution
          ? q.distribution.map((d) => ({ label: d.label, count: d.count }))
          : q.options?.map((o) => ({ label: o.label, count: o.count }));
        if (!answers) return [];
        const id = `tilbakemelding-${survey.survey}-${q.id}`;
        const mean =
          q.mean === null || q.mean === undefined
            ? ''
            : ` Gjennomsnitt ${twoDecimals.format(q.mean)} av 5.`;
        const free =
          texts.length > 0
            ? ` Fritekstsvar vises ikke her (de kan nevne personer): ${texts.map((t) => `${count(t.answers)} svarte på «${t.text}»`).join(', ')}.`
            : '';
        return [
          figureWith(
            barChart,
            id,
            `${survey.title}: ${q.text}`,
            `${counted(q.answers, 'svar', 'svar')} av ${counted(survey.responses, 'besvarelse', 'besvarelser')}, alle så langt (ikke avgrenset av perioden).${mean}${free}`,
            {
              label: q.text,
              categories: answers.map((a) => a.label),
              series: [{ label: 'Svar', values: answers.map((a) => a.count) }],
              horizontal: true,
              unit: 'Svar',
            },
            {
              caption: `${survey.title}: ${q.text}`,
              columns: ['Svar', 'Antall'],
              rows: answers.map((a) => [a.label, count(a.count)]),
            },
          ),
        ];
      });
    });
}

function levelText(config: KommuneConfig, level: number): string {
  const title = config.levels?.[level as 0 | 1 | 2 | 3]?.title;
  return title ? `Nivå ${level}: ${title}` : `Nivå ${level}`;
}

function figures(
  s: KommuneStats,
  config: KommuneConfig,
  nameOf: Map<string, string>,
  barChart: typeof drawBarChart,
): Figure[] {
  const figure = (
    id: string,
    title: string,
    intro: Child,
    chart: BarChartSpec | null,
    tableSpec: TableSpec | null,
  ) => figureWith(barChart, id, title, intro, chart, tableSpec);
  const period = `${dayText(s.range.from)} – ${dayText(s.range.to)}`;
  const asOf = formatDateTime(s.asOf);
  const stepTitle = (id: string) => config.steps[id]?.title ?? humanize(id);
  const sourceTitle = (id: string) => config.referralSources[id]?.title ?? humanize(id);

  // New cases: a month per row, a referral source per column (config order, then any other).
  const months = [...new Set(s.newCasesPerMonth.map((c) => c.month))].sort();
  const used = new Set(s.newCasesPerMonth.map((c) => c.referralSource));
  const sources = [
    ...Object.keys(config.referralSources).filter((id) => used.has(id)),
    ...[...used].filter((id) => !config.referralSources[id]).sort(),
  ];
  const newCount = (month: string, source: string) =>
    s.newCasesPerMonth.find((c) => c.month === month && c.referralSource === source)?.count ?? 0;
  const monthTotal = (month: string) => sources.reduce((n, src) => n + newCount(month, src), 0);

  const closed = s.outcomes.map((o) => ({
    ...o,
    text: `${OUTCOMES[o.outcome] ?? humanize(o.outcome)}: ${reasonText(o.reason)}`,
  }));
  const events: Array<[string, number]> = [
    ['Gjenåpnet', s.reopened],
    ['Eskalert av en frist', s.escalations],
    ['Åpne saker merket forfalt', s.overdue.flagged],
    ['Åpne saker forbi neste frist', s.overdue.pastDue],
    ['Meldinger levert', s.messages.delivered],
    ['Meldinger som ikke kom fram', s.messages.failed],
  ];
  const holderText = (p: string) => nameOf.get(p) ?? `Pseudonym ${p}`;
  const fieldText = (f: { field: string; value: string }) =>
    `${config.fields?.[f.field]?.title ?? humanize(f.field)}: ${choiceLabel(f.value)}`;

  return [
    figure(
      'nye-saker',
      'Nye saker per måned og hvem som meldte',
      `${counted(s.totalCases, 'ny sak', 'nye saker')} i perioden.`,
      {
        label: 'Nye saker per måned, stablet etter hvem som meldte',
        categories: months.map(monthText),
        series: sources.map((src) => ({
          label: sourceTitle(src),
          values: months.map((m) => newCount(m, src)),
        })),
        stacked: true,
        unit: 'Saker',
      },
      {
        caption: `Nye saker per måned og hvem som meldte, ${period}`,
        columns: ['Måned', ...sources.map(sourceTitle), 'I alt'],
        rows: months.map((m) => [
          monthText(m),
          ...sources.map((src) => count(newCount(m, src))),
          count(monthTotal(m)),
        ]),
      },
    ),
    figure(
      'trakt',
      'Saker gjennom slusene',
      'Hvor mange saker som kom inn i hvert steg i perioden, i slusemodellens rekkefølge.',
      {
        label: 'Saker inn i hvert steg',
        categories: s.funnel.map((f) => stepTitle(f.step)),
        series: [{ label: 'Saker inn i steget', values: s.funnel.map((f) => f.entered) }],
        horizontal: true,
        unit: 'Saker',
      },
      {
        caption: `Saker inn i hvert steg, ${period}`,
        columns: ['Steg', 'Nivå', 'Saker inn'],
        rows: s.funnel.map((f) => [stepTitle(f.step), String(f.level), count(f.entered)]),
      },
    ),
    figure(
      'apne',
      'Åpne saker per nivå og steg',
      `Telt ${asOf}.`,
      {
        label: 'Åpne saker per steg',
        categories: s.openByLevelAndStep.map((o) => stepTitle(o.step)),
        series: [{ label: 'Åpne saker', values: s.openByLevelAndStep.map((o) => o.count) }],
        horizontal: true,
        unit: 'Saker',
      },
      {
        caption: `Åpne saker per nivå og steg, telt ${asOf}`,
        columns: ['Steg', 'Nivå', 'Åpne saker'],
        rows: s.openByLevelAndStep.map((o) => [
          stepTitle(o.step),
          levelText(config, o.level),
          count(o.count),
        ]),
      },
    ),
    figure(
      'tid-i-steg',
      'Tid i steg',
      'Median og 90-persentil i dager, over alle opphold i steget som ble avsluttet i perioden.',
      {
        label: 'Tid i steg i dager, median og 90-persentil',
        categories: s.timeInStep.steps.map((t) => stepTitle(t.step)),
        series: [
          { label: 'Median', values: s.timeInStep.steps.map((t) => t.medianDays ?? 0) },
          { label: '90-persentil', values: s.timeInStep.steps.map((t) => t.p90Days ?? 0) },
        ],
        horizontal: true,
        unit: 'Dager',
      },
      {
        caption: `Tid i steg i dager, ${period}`,
        columns: [
          'Steg',
          'Avsluttede opphold',
          'Median (dager)',
          '90-persentil (dager)',
          'I steget nå',
        ],
        rows: s.timeInStep.steps.map((t) => [
          stepTitle(t.step),
          count(t.completedVisits),
          daysText(t.medianDays),
          daysText(t.p90Days),
          count(t.ongoing),
        ]),
      },
    ),
    figure(
      'utfall',
      'Utfall og avslutningsårsaker',
      'Saker som ble avsluttet, overført eller trukket i perioden.',
      {
        label: 'Avsluttede saker etter utfall og årsak',
        categories: closed.map((o) => o.text),
        series: [{ label: 'Saker', values: closed.map((o) => o.count) }],
        horizontal: true,
        unit: 'Saker',
      },
      {
        caption: `Utfall og avslutningsårsaker, ${period}`,
        columns: ['Utfall', 'Årsak', 'Saker'],
        rows: closed.map((o) => [
          OUTCOMES[o.outcome] ?? humanize(o.outcome),
          reasonText(o.reason),
          count(o.count),
        ]),
      },
    ),
    figure(
      'hendelser',
      'Gjenåpnet, eskalert, forfalt og meldinger',
      `Forfalte saker er telt ${asOf}; resten gjelder perioden.`,
      {
        label: 'Gjenåpnede, eskalerte og forfalte saker og meldinger',
        categories: events.map(([t]) => t),
        series: [{ label: 'Antall', values: events.map(([, n]) => n) }],
        horizontal: true,
        unit: 'Antall',
      },
      {
        caption: `Gjenåpnet, eskalert, forfalt og meldinger, ${period}`,
        columns: ['Hva', 'Antall'],
        rows: events.map(([t, n]) => [t, count(n)]),
      },
    ),
    figure(
      'saksmengde',
      'Saksmengde per stafettholder',
      s.caseloadLimited
        ? `Åpne saker telt ${asOf}. Bare de 1000 med flest saker er med.`
        : `Åpne saker telt ${asOf}.`,
      {
        label: 'Åpne saker per stafettholder',
        categories: s.caseloadPerHolder.map((c) => holderText(c.holderPseudonym)),
        series: [
          { label: 'Åpne saker', values: s.caseloadPerHolder.map((c) => c.openCases) },
          // The limit beside it, where any holder has one.
          ...(s.caseloadPerHolder.some((c) => c.limit !== null)
            ? [{ label: 'Grense', values: s.caseloadPerHolder.map((c) => c.limit ?? 0) }]
            : []),
        ],
        horizontal: true,
        unit: 'Saker',
      },
      {
        caption: `Åpne saker per stafettholder mot grensen, telt ${asOf}`,
        columns: ['Stafettholder', 'Rolle', 'Åpne saker', 'Grense'],
        rows: s.caseloadPerHolder.map((c) => [
          nameOf.get(c.holderPseudonym) ??
            h('span', { class: 'pseudonym' }, holderText(c.holderPseudonym)),
          c.role ? (config.roles[c.role]?.title ?? humanize(c.role)) : '–',
          count(c.openCases),
          c.limit === null
            ? 'ingen'
            : c.openCases >= c.limit
              ? `${count(c.limit)} (full)`
              : count(c.limit),
        ]),
      },
    ),
    figure(
      'feltverdier',
      'Saker per valg i skjemaene',
      'Saker der et felt med faste valg (som sakstype eller vedtak) fikk hver verdi i perioden.',
      {
        label: 'Saker per valgt verdi',
        categories: s.fieldValues.map(fieldText),
        series: [{ label: 'Saker', values: s.fieldValues.map((f) => f.cases) }],
        horizontal: true,
        unit: 'Saker',
      },
      {
        caption: `Saker per valg i skjemaene, ${period}`,
        columns: ['Felt og verdi', 'Saker'],
        rows: s.fieldValues.map((f) => [fieldText(f), count(f.cases)]),
      },
    ),
  ];
}

/** A closing reason: a form's choice (an id) in words, a step's own sentence as written. */
function reasonText(reason: string | null): string {
  if (reason === null) return 'Ingen årsak oppgitt';
  return /\s/.test(reason) ? reason : choiceLabel(reason);
}
