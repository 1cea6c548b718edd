/**
 * The frame around every signed-in page: who is signed in (role and kommune by their titles),
 * the places to go (the statistics only for a role that sees the whole kommune), sign-out. It wraps onto more lines on a narrow screen.
 */
import { loadConfig } from './config-cache';
import { h, replace, type Child } from './dom';
import { session, type Viewer } from './session';

export function renderChrome(
  viewer: Viewer,
  active: 'saker' | 'konfig' | 'statistikk',
  ...content: Child[]
): HTMLElement {
  const main = h('main', { id: 'innhold', tabindex: -1 }, content);
  // Titles from the config (cached; every page loads it); the ids stand in only if it fails.
  const roleName = h('strong', { 'data-testid': 'viewer-role' });
  const kommuneName = h('strong', { 'data-testid': 'viewer-kommune' });
  const link = (href: string, id: typeof active, text: string) =>
    h('a', { href, 'aria-current': id === active ? 'page' : undefined }, text);
  const nav = h('nav', { 'aria-label': 'Hovedmeny' });
  loadConfig(viewer.kommune).then(
    ({ config }) => {
      roleName.textContent = config.roles[viewer.role]?.title ?? viewer.role;
      kommuneName.textContent = config.name;
      // Only a role that sees every case may read the statistics; others are not offered them.
      if (config.roles[viewer.role]?.sees === 'kommune')
        nav.append(link('/visualizer/statistikk', 'statistikk', 'Statistikk'));
    },
    () => {
      roleName.textContent = viewer.role;
      kommuneName.textContent = viewer.kommune;
    },
  );
  const header = h(
    'header',
    { class: 'topbar' },
    h('span', { class: 'brand' }, 'Sluse', h('span', { class: 'brand-sub' }, ' · saksvisning')),
    nav,
    h(
      'div',
      { class: 'who' },
      h('span', {}, `Innlogget som `, roleName, ` i `, kommuneName),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () => {
            session.clear();
            location.assign('/visualizer/');
          },
        },
        'Logg ut',
      ),
    ),
  );
  nav.append(
    link('/visualizer/saker', 'saker', 'Saker'),
    link('/visualizer/konfig', 'konfig', 'Slusemodell'),
  );
  replace(document.getElementById('app')!, header, main);
  return main;
}

/** A message the screen reader announces and the eye finds at the top of the content. */
export function notice(kind: 'error' | 'info' | 'ok', text: Child): HTMLElement {
  const icon = kind === 'error' ? '⚠ ' : kind === 'ok' ? '✓ ' : 'ℹ ';
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { 'aria-hidden': 'true' }, icon),
    text,
  );
}
