/**
 * The dashboard's style sheet and its one script, served as files (`/assets/…`) so the pages' policy allows no
 * inline code: the script follows a run's server-sent events, adding each event to the log and swapping in the
 * state fragments (header, review forms, phases) the server rendered once for every client, when they changed.
 */
import { REPORT_STYLE } from '../../report/index.js';

export const DASHBOARD_STYLE = `${REPORT_STYLE}
nav a{margin-right:1rem}.status{font-weight:600}form.review{display:inline-block;margin:.3rem 1rem .3rem 0}
textarea{width:28rem;max-width:100%;height:4rem;display:block;margin-bottom:.3rem}
ol.log{font:12px/1.4 ui-monospace,monospace;max-height:28rem;overflow:auto;padding-left:3rem}
tr.item td:first-child{padding-left:1.5rem}.live{color:#1a7f37}.gone{color:#c62828}`;

export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var root = document.querySelector('[data-run]');
  if (!root) return;
  var log = document.getElementById('log');
  var live = document.getElementById('live');
  var source = new EventSource(root.getAttribute('data-feed'));
  source.addEventListener('open', function () { live.textContent = 'live'; live.className = 'live'; });
  source.addEventListener('error', function () { live.textContent = 'reconnecting'; live.className = 'gone'; });
  source.addEventListener('log', function (message) {
    var entry = JSON.parse(message.data);
    var item = document.createElement('li');
    item.textContent = entry.at.slice(11, 19) + '  ' + entry.text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  });
  source.addEventListener('state', function (message) {
    var state = JSON.parse(message.data);
    for (var id in state.parts) {
      var element = document.getElementById(id);
      var part = state.parts[id];
      if (!element || element.getAttribute('data-version') === part.version) continue;
      element.innerHTML = part.html;
      element.setAttribute('data-version', part.version);
    }
    root.setAttribute('data-status', state.status);
  });
})();
`;
