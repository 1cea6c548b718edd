/**
 * A table of cases, one row each: the case as the row's heading, then cells labelled by their
 * column (`data-label`), so on a narrow screen each row reads as a card (table.cases in the CSS).
 */
import { h, type Child } from './dom';

export interface CaseRow {
  caseId: string;
  /** What the row's heading shows: the id, or a link to the case. */
  head: Child;
  /** One per column after the first. */
  cells: Child[];
  /** More `data-*` on the row, for scripts and tests (`data-case` is always set). */
  data?: Record<string, string>;
}

export function caseTable(className: string, columns: string[], rows: CaseRow[]): HTMLElement {
  return h(
    'table',
    { class: `cases ${className}` },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {
            'data-case': r.caseId,
            ...Object.fromEntries(Object.entries(r.data ?? {}).map(([k, v]) => [`data-${k}`, v])),
          },
          h('th', { scope: 'row' }, r.head),
          r.cells.map((cell, i) => h('td', { 'data-label': columns[i + 1] }, cell)),
        ),
      ),
    ),
  );
}
