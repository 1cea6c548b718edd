/**
 * Sign-in: paste a bearer token (from the kommune's identity provider, or in development from
 * `npm run token`). It is checked against the server before it is kept.
 */
import { ApiError, request } from './api';
import { h, replace } from './dom';
import { notice } from './chrome';
import { session, type Viewer } from './session';
import { PROCESS_OWNER_ROLE } from './publish-panel';

/** Where a role starts: the process owner works on the model, everyone else on cases. */
function landing(viewer: Viewer): string {
  return viewer.role === PROCESS_OWNER_ROLE ? '/visualizer/konfig' : '/visualizer/saker';
}

export function signInPage(): void {
  const reason = sessionStorage.getItem('sluse.signInReason');
  sessionStorage.removeItem('sluse.signInReason');
  const status = h('div', { 'aria-live': 'polite' }, reason ? notice('info', reason) : null);
  const area = h('textarea', {
    id: 'token',
    rows: 6,
    class: 'mono',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-hint',
  });
  const form = h(
    'form',
    { class: 'sign-in', novalidate: true },
    h('label', { for: 'token' }, 'Tilgangstoken (JWT)'),
    h(
      'p',
      { class: 'hint', id: 'token-hint' },
      'Lim inn tokenet ditt. Det lagres bare i denne fanen og sendes aldri i en nettadresse. I utvikling: ',
      h('code', {}, 'npm run token -- --kommune <kommune-id> --role <rolle>'),
    ),
    area,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Logg inn')),
  );
  // Shows its own errors: the DOM drops whatever a listener returns, rejections included.
  const submit = async (): Promise<void> => {
    const token = area.value.trim().replace(/^Bearer\s+/i, '');
    if (!token) return void replace(status, notice('error', 'Lim inn et token først.'));
    try {
      const viewer = await request<Viewer>('/visualizer/api/me', {
        token,
        keepUnauthenticated: true,
      });
      session.save(token);
      const back = sessionStorage.getItem('sluse.back');
      sessionStorage.removeItem('sluse.back');
      location.assign(back && back.startsWith('/visualizer/') ? back : landing(viewer));
    } catch (err) {
      const message =
        err instanceof ApiError && err.status === 401
          ? 'Tokenet ble ikke godtatt (ugyldig eller utløpt).'
          : (err as Error).message;
      replace(status, notice('error', message));
      area.focus();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  replace(
    document.getElementById('app')!,
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, 'Sluse', h('span', { class: 'brand-sub' }, ' · saksvisning')),
    ),
    h('main', { id: 'innhold', class: 'narrow' }, h('h1', {}, 'Logg inn'), status, form),
  );
  area.focus();
}
