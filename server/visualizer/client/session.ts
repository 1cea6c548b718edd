/**
 * The signed-in viewer. The token lives in sessionStorage (gone when the tab closes) and travels
 * only in the Authorization header — never in a URL, where logs and history would keep it.
 */
const KEY = 'sluse.token';

export interface Viewer {
  sub: string;
  kommune: string;
  role: string;
}

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  save: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};

/** Sends the viewer to the sign-in page, remembering where they were (a path, nothing personal). */
export function toSignIn(reason?: string): never {
  session.clear();
  const back = location.pathname === '/visualizer/' ? '' : location.pathname;
  sessionStorage.setItem('sluse.back', back);
  if (reason) sessionStorage.setItem('sluse.signInReason', reason);
  location.assign('/visualizer/');
  throw new Error('redirecting to sign-in');
}
