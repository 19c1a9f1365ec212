/**
 * One run's page: the fragments of its snapshot, its event log, a link to the report, and the attributes the
 * script reads to follow the run's event feed from the last event the page shows.
 */
import { escapeHtml } from '../../report/index.js';
import { page } from './layout.js';
import { fragmentVersion } from './run-fragments.js';
import type { RunSnapshot } from './run-snapshot.js';

export function runPage(snapshot: RunSnapshot): string {
  const id = snapshot.run.runId;
  const path = `/runs/${encodeURIComponent(id)}`;
  const log = snapshot.log
    .map((line) => `<li>${escapeHtml(`${line.at.slice(11, 19)}  ${line.text}`)}</li>`)
    .join('\n');
  return page(
    `phasewise run ${id}`,
    `<main data-run="${escapeHtml(id)}" data-status="${escapeHtml(snapshot.status)}" data-feed="${path}/events?after=${snapshot.log.length}">
<h1>run ${escapeHtml(id)} <small id="live" class="note">connecting</small></h1>
<p>${escapeHtml(snapshot.title)}</p>
${part('head', snapshot.fragments.head)}
<p><a href="${path}/report">the report</a></p>
${part('review', snapshot.fragments.review)}
<h2>Phases</h2>
${part('phases', snapshot.fragments.phases)}
<h2>Events</h2>
<ol class="log" id="log">
${log}
</ol>
</main>`,
  );
}

function part(id: string, html: string): string {
  return `<div id="${id}" data-version="${fragmentVersion(html)}">${html}</div>`;
}
