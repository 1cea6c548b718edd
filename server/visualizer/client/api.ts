/**
 * Calls to the coordinators' API and the visualizer's own endpoints, always with the bearer
 * token. Errors come back as ApiError with the API's stable code and field details, worded in
 * the API's bokmål (`nb`) where it gives one.
 */
import { session, toSignIn } from './session';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly allowedEvents: string[] = [],
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Leave a 401 to the caller (the sign-in page checks tokens this way). */
  keepUnauthenticated?: boolean;
  token?: string;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const token = opts.token ?? session.token();
  if (!token) toSignIn();
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'Får ikke kontakt med serveren. Sjekk nettverket og prøv igjen.',
    );
  }
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : null;
  if (res.ok) return json as T;
  if (res.status === 401 && !opts.keepUnauthenticated)
    toSignIn('Innloggingen er utløpt eller ugyldig. Logg inn på nytt.');
  throw toApiError(res.status, json);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(status: number, json: unknown): ApiError {
  const e = (json as { error?: Record<string, unknown> } | null)?.error ?? {};
  const details = Array.isArray(e.details)
    ? e.details
        .filter(
          (d): d is ErrorDetail & { nb?: unknown } =>
            typeof d?.path === 'string' && typeof d?.message === 'string',
        )
        .map((d) => ({ path: d.path, message: typeof d.nb === 'string' ? d.nb : d.message }))
    : [];
  const allowed = Array.isArray(e.allowedEvents)
    ? e.allowedEvents.filter((x): x is string => typeof x === 'string')
    : [];
  const message =
    typeof e.nb === 'string'
      ? e.nb
      : typeof e.message === 'string'
        ? e.message
        : `Uventet svar fra serveren (${status}).`;
  return new ApiError(
    status,
    typeof e.code === 'string' ? e.code : `HTTP_${status}`,
    message,
    details,
    allowed,
  );
}

export interface StaffName {
  personId: string;
  displayName: string;
  /** As a list item's `holderPseudonym`: names the holder of a case for a leader. */
  pseudonym: string;
}

/**
 * Colleagues' display names with their ids and pseudonyms, sorted by name; empty when the role
 * may not read them (the pages work without: holders are then told apart by pseudonym).
 */
export async function staffNames(kommune: string): Promise<StaffName[]> {
  try {
    return (await request<{ staff: StaffName[] }>(apiPath(kommune, 'staff-names'))).staff;
  } catch {
    return [];
  }
}

/** Path of a kommune's API resource; ids are encoded, never raw. */
export function apiPath(kommune: string, ...parts: string[]): string {
  return ['/api/v1/kommuner', kommune, ...parts]
    .map((p, i) => (i === 0 ? p : encodeURIComponent(p)))
    .join('/');
}

/**
 * Fetches a file the API serves (e.g. a CSV) with the bearer token and hands it to the browser
 * to save as `filename`: a plain link cannot carry the token, and a token never goes in a URL.
 */
export async function download(path: string, filename: string): Promise<void> {
  const token = session.token();
  if (!token) toSignIn();
  let res: Response;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'Får ikke kontakt med serveren. Sjekk nettverket og prøv igjen.',
    );
  }
  if (!res.ok) {
    if (res.status === 401) toSignIn('Innloggingen er utløpt eller ugyldig. Logg inn på nytt.');
    const text = await res.text();
    throw toApiError(res.status, text ? safeJson(text) : null);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has been handled: the browser has the file by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
