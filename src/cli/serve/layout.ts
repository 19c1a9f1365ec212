/** The frame of every dashboard page: its policy (no inline code, nothing fetched from elsewhere) and navigation. */
import { escapeHtml } from '../../report/index.js';

/** Only the dashboard's own files, and the event stream: no CDN, no inline script or style, no framing. */
export const DASHBOARD_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/dashboard.css"><script src="/assets/dashboard.js" defer></script>
</head><body>
<nav><a href="/">runs</a></nav>
${body}
</body></html>
`;
}

export function errorPage(status: number, message: string): string {
  return page(`phasewise: ${status}`, `<h1>${status}</h1>\n<p>${escapeHtml(message)}</p>`);
}
