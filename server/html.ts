/** What every server-rendered page shares: the escaping of text put into HTML, and the CSP. */

/** Text made safe for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * Self-hosted means self-hosted: the browser may load and connect to this origin only. With
 * `styleNonce`, a page may also add `<style>` elements carrying that nonce (the config page's
 * editor, CodeMirror, styles itself that way); a nonce is new for every response.
 */
export function selfOnlyCsp(styleNonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SELF_ONLY_CSP = selfOnlyCsp();
