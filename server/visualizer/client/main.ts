/**
 * Entry of the browser code: picks the page named by `<body data-page>`, signs the viewer in
 * (or sends them to sign-in), and draws it.
 */
import { request } from './api';
import { casePage } from './case-page';
import { caseListPage } from './case-list-page';
import { configPage } from './config-page';
import { notice } from './chrome';
import { replace } from './dom';
import { session, toSignIn, type Viewer } from './session';
import { signInPage } from './sign-in-page';
import { statsPage } from './stats-page';

async function main(): Promise<void> {
  const page = document.body.dataset.page;
  if (page === 'logg-inn') return signInPage();
  if (!session.token()) toSignIn();
  const viewer = await request<Viewer>('/visualizer/api/me');
  if (page === 'saker') return caseListPage(viewer);
  if (page === 'sak') return casePage(viewer, document.body.dataset.caseId ?? '');
  if (page === 'konfig') return configPage(viewer);
  if (page === 'statistikk') return statsPage(viewer);
}

main().catch((err: unknown) => {
  if ((err as Error).message === 'redirecting to sign-in') return;
  replace(
    document.getElementById('app')!,
    notice('error', `Noe gikk galt: ${(err as Error).message}`),
  );
});
