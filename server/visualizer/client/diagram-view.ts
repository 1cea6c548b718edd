/**
 * Draws a laid-out statechart as SVG. Every state is said in words and shapes as well as colour
 * (a "NÅ" badge and thick frame for the current step, ticks for visited ones, dashed arrows for
 * possible next steps), and every step is a keyboard stop that opens its details.
 */
import type { Diagram, DiagramEdge, DiagramNode } from '../diagram-types';
import { textWidth } from '../text-metrics';
import { h, s } from './dom';

export interface DiagramMarks {
  current?: string;
  visited?: ReadonlySet<string>;
  next?: ReadonlySet<string>;
  /** Edge ids along the path taken. */
  taken?: ReadonlySet<string>;
  /** The live model: open cases on each step now, and how many of them are late. */
  counts?: ReadonlyMap<string, { running: number; late: number }>;
}

const LINE = 17;

export interface DiagramView {
  element: HTMLElement;
  update(marks: DiagramMarks): void;
}

export interface DiagramOptions {
  label: string;
  onSelect?: (node: DiagramNode) => void;
  /** The smallest zoom the first fit may pick; a wider diagram scrolls instead (narrow panes). */
  legibleZoom?: number;
}

export function renderDiagram(d: Diagram, opts: DiagramOptions): DiagramView {
  let zoom = 1;
  const svg = s('svg', {
    class: 'diagram',
    viewBox: `0 0 ${d.width} ${d.height}`,
    role: 'group',
    'aria-label': opts.label,
  });
  const bandRects: SVGElement[] = [];
  svg.append(
    s(
      'defs',
      {},
      arrow('arrow', 'arrow-plain'),
      arrow('arrow-taken', 'arrow-taken'),
      arrow('arrow-next', 'arrow-next'),
    ),
    ...d.bands.map((b, i) =>
      s(
        'g',
        { class: `band band-${b.level}` },
        (bandRects[i] = s('rect', { x: 0, y: b.y, width: d.width, height: b.height })),
        // The kommune's own name of the level (its config's `levels`); unnamed, just "Nivå N".
        ...(b.description ? [s('title', {}, b.description)] : []),
        s('text', { x: 12, y: b.y + 24, class: 'band-title' }, `Nivå ${b.level}`),
        ...(b.title !== `Nivå ${b.level}` ? [wrapSvg(b.title, 12, b.y + 42, 18, 'band-sub')] : []),
      ),
    ),
  );
  const edgeEls = new Map<string, SVGGElement>();
  for (const e of d.edges) {
    const g = edgeEl(e);
    edgeEls.set(e.id, g);
    svg.append(g);
  }
  const nodeEls = new Map<string, SVGGElement>();
  for (const n of d.nodes) {
    const g = nodeEl(n, opts.onSelect);
    nodeEls.set(n.id, g);
    svg.append(g);
  }

  const scroller = h(
    'div',
    { class: 'diagram-scroll', tabindex: 0, 'aria-label': `${opts.label} (rull for å se mer)` },
    svg,
  );
  const zoomLabel = h('span', { class: 'zoom-label', 'aria-live': 'polite' });
  const setZoom = (z: number) => {
    zoom = Math.min(2, Math.max(0.3, z));
    // A diagram narrower than its pane is drawn to the pane's width, so the bands run across
    // the whole pane, not only under the steps.
    const viewWidth = Math.max(d.width, (scroller.clientWidth - 4) / zoom || 0);
    svg.setAttribute('viewBox', `0 0 ${viewWidth} ${d.height}`);
    for (const r of bandRects) r.setAttribute('width', String(viewWidth));
    svg.setAttribute('width', String(Math.round(viewWidth * zoom)));
    svg.setAttribute('height', String(Math.round(d.height * zoom)));
    zoomLabel.textContent = `${Math.round(zoom * 100)} %`;
  };
  const fitted = () => Math.min(1, (scroller.clientWidth - 4) / d.width) || 1;
  const fit = () => setZoom(fitted());
  const toolbar = h(
    'div',
    { class: 'diagram-tools' },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        onclick: () => setZoom(zoom - 0.1),
        'aria-label': 'Zoom ut',
      },
      '−',
    ),
    zoomLabel,
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        onclick: () => setZoom(zoom + 0.1),
        'aria-label': 'Zoom inn',
      },
      '+',
    ),
    h('button', { type: 'button', class: 'secondary small', onclick: fit }, 'Tilpass bredden'),
    h('button', { type: 'button', class: 'secondary small', onclick: () => setZoom(1) }, '100 %'),
  );
  setZoom(1);
  requestAnimationFrame(() => setZoom(Math.max(opts.legibleZoom ?? 0, fitted())));

  // Every step is a keyboard stop; one Tab past them all, so the keyboard reaches what follows
  // the diagram (the case's facts, the step's details) without walking every step.
  const end = h('p', { class: 'visually-hidden', tabindex: -1 }, 'Etter diagrammet');
  const steps = d.nodes.filter((n) => n.kind === 'step').length;
  const skip = h(
    'button',
    { type: 'button', class: 'secondary small skip-diagram', onclick: () => end.focus() },
    `Hopp over diagrammet (${steps} steg)`,
  );
  return {
    element: h('div', { class: 'diagram-box' }, skip, toolbar, scroller, legend(), end),
    update(marks) {
      for (const [id, g] of nodeEls) {
        const state =
          id === marks.current
            ? 'current'
            : marks.next?.has(id)
              ? 'next'
              : marks.visited?.has(id)
                ? 'visited'
                : 'none';
        g.dataset.state = state;
        g.setAttribute(
          'class',
          `node node-${state}${g.dataset.final ? ' node-final' : ''}${g.dataset.errors ? ' node-error' : ''}`,
        );
        if (state === 'current') g.setAttribute('aria-current', 'step');
        else g.removeAttribute('aria-current');
        const badge = g.querySelector('.node-badge')!;
        badge.textContent = badgeText(g, state, marks.counts?.get(id));
        // The name is the text the step shows, in its order, so speech-input users can say what
        // they see (axe: label-content-name-mismatch). Each line ends in a space, which SVG does
        // not draw, or the lines would read as run together ("BesøktUndring").
        const texts = [...g.querySelectorAll('text')].filter((t) => t.textContent?.trim());
        for (const t of texts) if (!t.textContent!.endsWith(' ')) t.textContent += ' ';
        g.setAttribute('aria-label', texts.map((t) => t.textContent!.trim()).join(' '));
      }
      for (const [id, g] of edgeEls) {
        const e = d.edges.find((x) => x.id === id)!;
        const kind = marks.taken?.has(id)
          ? 'taken'
          : marks.current && e.from === marks.current && marks.next?.has(e.to)
            ? 'next'
            : 'plain';
        g.setAttribute('class', `edge edge-${e.kind} edge-${kind}`);
        g.dataset.state = kind;
        g.querySelector('path')!.setAttribute(
          'marker-end',
          `url(#${kind === 'plain' ? 'arrow' : `arrow-${kind}`})`,
        );
      }
      const current = marks.current ? nodeEls.get(marks.current) : undefined;
      if (current) scrollIntoView(scroller, current, zoom);
    },
  };
}

function badgeText(
  g: SVGGElement,
  state: string,
  count?: { running: number; late: number },
): string {
  const parts: string[] = [];
  if (count && count.running > 0)
    parts.push(`${count.running} åpne${count.late > 0 ? `, ${count.late} forfalt` : ''}`);
  if (state === 'current') parts.push('● NÅ: saken er her');
  else if (state === 'next') parts.push('→ Mulig neste steg');
  else if (state === 'visited') parts.push('✓ Besøkt');
  if (g.dataset.final && state !== 'current') parts.push('■ Slutt');
  if (g.dataset.errors) parts.push(`⚠ ${g.dataset.errors} feil`);
  return parts.join('  ');
}

function arrow(id: string, cls: string): SVGMarkerElement {
  return s(
    'marker',
    {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 11,
      markerHeight: 11,
      markerUnits: 'userSpaceOnUse',
      orient: 'auto-start-reverse',
      class: cls,
    },
    s('path', { d: 'M 0 0 L 10 5 L 0 10 z' }),
  );
}

function edgeEl(e: DiagramEdge): SVGGElement {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
  const title = e.events
    .map(
      (ev) =>
        `${ev.title}${ev.engine ? ' (sendes av et tidsur)' : ''}${ev.gate ? ` – vilkår: ${ev.gate}` : ''}`,
    )
    .join('; ');
  const g = s(
    'g',
    { class: `edge edge-${e.kind}`, 'data-edge': e.id, 'data-from': e.from, 'data-to': e.to },
    s('title', {}, title),
    s('path', { d, 'marker-end': 'url(#arrow)' }),
  );
  if (e.label) {
    const l = e.label;
    g.append(
      s('rect', {
        class: 'edge-label-bg',
        x: l.x,
        y: l.y,
        width: l.width,
        height: l.height,
        rx: 3,
      }),
      ...l.lines.map((line, i) =>
        s('text', { class: 'edge-label', x: l.x + 5, y: l.y + 14 + i * 14 }, line),
      ),
    );
  }
  return g;
}

function nodeEl(n: DiagramNode, onSelect?: (node: DiagramNode) => void): SVGGElement {
  const g = s('g', {
    class: 'node',
    tabindex: 0,
    role: 'button',
    'data-step': n.id,
    'data-title': n.kind === 'start' ? 'Start: ny sak' : `${n.lines.join(' ')}, nivå ${n.level}`,
    'data-final': n.final ? '1' : undefined,
    'data-errors': n.errorCount > 0 ? String(n.errorCount) : undefined,
    transform: `translate(${n.x} ${n.y})`,
  });
  if (n.kind === 'start') {
    g.append(
      s('rect', { class: 'node-box start', width: n.width, height: n.height, rx: n.height / 2 }),
      s(
        'text',
        { class: 'node-title', x: n.width / 2, y: n.height / 2 + 5, 'text-anchor': 'middle' },
        '▶ Ny sak',
      ),
      s('text', { class: 'node-badge' }),
    );
    return g;
  }
  g.append(
    s('rect', { class: 'node-box', width: n.width, height: n.height, rx: n.final ? 2 : 10 }),
  );
  if (n.final)
    g.append(
      s('rect', {
        class: 'node-final-inner',
        x: 4,
        y: 4,
        width: n.width - 8,
        height: n.height - 8,
        rx: 1,
      }),
    );
  g.append(
    s('text', { class: 'node-badge', x: 10, y: 16 }),
    ...n.lines.map((line, i) => s('text', { class: 'node-title', x: 10, y: 38 + i * LINE }, line)),
    s(
      'text',
      { class: 'node-meta', x: 10, y: 38 + n.lines.length * LINE + 4 },
      fitted(`Nivå ${n.level} · ${n.holderTitle ?? n.holderRole ?? '–'}`, n.width - 20),
    ),
  );
  const extras = [
    n.timers.length > 0 ? `◷ ${n.timers.length} tidsur` : '',
    n.stayEvents.length > 0 ? `↻ ${n.stayEvents.length} i steget` : '',
  ].filter(Boolean);
  if (extras.length > 0)
    g.append(
      s(
        'text',
        { class: 'node-meta', x: 10, y: 38 + (n.lines.length + 1) * LINE + 4 },
        extras.join('   '),
      ),
    );
  if (onSelect) {
    g.addEventListener('click', () => onSelect(n));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(n);
      }
    });
  }
  return g;
}

/** `text` cut with "…" to fit `width` px at `.node-meta`'s 11.5px (the font's own widths). */
function fitted(text: string, width: number): string {
  if (textWidth(text, 11.5) <= width) return text;
  let n = text.length - 1;
  while (n > 1 && textWidth(`${text.slice(0, n)}…`, 11.5) > width) n--;
  return `${text.slice(0, n)}…`;
}

function wrapSvg(text: string, x: number, y: number, perLine: number, cls: string): SVGTextElement {
  const words = text.split(' ');
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last && last.length + w.length < perLine) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return s(
    'text',
    { class: cls, x, y },
    ...lines.map((l, i) => s('tspan', { x, dy: i === 0 ? 0 : 14 }, l)),
  );
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'diagram-legend', 'aria-label': 'Tegnforklaring' },
    h('li', {}, h('span', { class: 'key key-current' }, '● NÅ'), ' nåværende steg (tykk ramme)'),
    h(
      'li',
      {},
      h('span', { class: 'key key-visited' }, '✓'),
      ' steg saken har vært i; tykk linje = veien saken har gått',
    ),
    h('li', {}, h('span', { class: 'key key-next' }, '→'), ' mulige neste steg (stiplet pil)'),
    h('li', {}, h('span', { class: 'key' }, '■'), ' sluttsteg (dobbel ramme)'),
    h('li', {}, h('span', { class: 'key' }, '◷'), ' tidsur / hendelse sendt av et tidsur'),
    h('li', {}, h('span', { class: 'key' }, '↻'), ' hendelser som ikke flytter saken'),
  );
}

/** Brings the current step into view inside the diagram's own scroll box, not the page. */
function scrollIntoView(scroller: HTMLElement, g: SVGGElement, zoom: number): void {
  const m = /translate\(([\d.-]+) ([\d.-]+)\)/.exec(g.getAttribute('transform') ?? '');
  if (!m) return;
  const x = Number(m[1]) * zoom;
  const y = Number(m[2]) * zoom;
  if (y < scroller.scrollTop || y > scroller.scrollTop + scroller.clientHeight - 80)
    scroller.scrollTop = Math.max(0, y - 80);
  if (x < scroller.scrollLeft || x > scroller.scrollLeft + scroller.clientWidth - 120)
    scroller.scrollLeft = Math.max(0, x - 80);
}
