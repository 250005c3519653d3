/**
 * The HTML report's inline stylesheet and script, with their CSP hashes: the page allows exactly
 * these two and loads nothing else (no fonts, no images, no scripts from the network).
 */
import { createHash } from 'node:crypto';

export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1c2127; --muted: #5c6670; --line: #d9dee3;
  --error: #c62828; --error-bg: #fdecea; --warn: #9a5b00; --warn-bg: #fff4e0;
  --ok: #1e7a34; --ok-bg: #e6f4ea; --neutral: #51606f; --accent: #2457c5; --mark: #c62828;
  --code-bg: #f1f3f5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; background: var(--bg); color: var(--text);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171b; --panel: #1c2127; --text: #e6e9ec; --muted: #9aa5b1; --line: #333b44;
    --error: #ff6b6b; --error-bg: #3a1f1f; --warn: #f0b35a; --warn-bg: #3a2d17;
    --ok: #6fcf87; --ok-bg: #1c3324; --neutral: #9aa5b1; --accent: #7aa2ff; --mark: #ff6b6b; --code-bg: #242a31;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.75rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
p code, td code, th code, li code { background: var(--code-bg); padding: 1px 4px; border-radius: 4px; }
td code { white-space: nowrap; }
.meta { color: var(--muted); margin: 0; }
.verdict { font-size: 1.1rem; margin: 14px 0 0; font-weight: 600; }
.verdict.clean { color: var(--ok); }
.verdict.dirty { color: var(--error); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(125px, 1fr)); gap: 12px; margin: 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; border-top: 4px solid var(--neutral); }
.card dt { color: var(--muted); font-size: 0.85rem; }
.card dd { margin: 0; font-size: 1.9rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card.tone-error { border-top-color: var(--error); }
.card.tone-warn { border-top-color: var(--warn); }
.card.tone-ok { border-top-color: var(--ok); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { max-width: 100%; height: auto; display: block; }
.bar-label { fill: var(--text); font-size: 13px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.bar-value { fill: var(--text); font-size: 13px; font-weight: 700; }
.bar.bar-error { fill: var(--error); }
.bar.bar-warn { fill: var(--warn); }
.bar.bar-neutral { fill: var(--accent); }
svg a:hover .bar, svg a:focus .bar { opacity: 0.8; }
.empty { color: var(--muted); }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: 10px 12px; color: var(--muted); caption-side: top; }
th, td { text-align: left; padding: 7px 12px; border-top: 1px solid var(--line); vertical-align: top; }
thead th { border-top: 0; font-size: 0.85rem; color: var(--muted); font-weight: 600; background: var(--code-bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.desc { display: block; color: var(--muted); font-weight: 400; font-size: 0.85rem; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; padding: 1px 7px; border-radius: 10px; border: 1px solid currentColor; }
.badge.sev-error { color: var(--error); background: var(--error-bg); }
.badge.sev-warn { color: var(--warn); background: var(--warn-bg); }
.badge.fixable { color: var(--ok); background: var(--ok-bg); }
.cov { white-space: nowrap; font-variant-numeric: tabular-nums; }
.cov-full { color: var(--ok); background: var(--ok-bg); }
.cov-partial { color: var(--warn); background: var(--warn-bg); }
.cov-none { color: var(--error); background: var(--error-bg); }
.cov-na, .cov-info { color: var(--muted); }
.cov-icon { display: inline-block; width: 1.1em; font-weight: 700; }
table.inventory th, table.inventory td { padding: 7px 10px; }
table.inventory tbody th { font-weight: 600; min-width: 12em; overflow-wrap: anywhere; }
table.inventory thead th { vertical-align: bottom; }
table.inventory tr.unresolved th a { color: var(--muted); }
th button.sort { font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer; text-align: inherit; white-space: nowrap; }
th button.sort::after { content: "↕"; display: inline-block; width: 1em; margin-left: 3px; text-align: center; opacity: 0.45; }
th[aria-sort="ascending"] button.sort::after { content: "▲"; opacity: 1; }
th[aria-sort="descending"] button.sort::after { content: "▼"; opacity: 1; }
th button.sort:hover, th button.sort:focus-visible { color: var(--accent); }
th[aria-sort] { color: var(--text); }
.calls-heading { margin: 20px 0 8px; }
details.calls { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px; }
details.calls summary { cursor: pointer; padding: 8px 12px; }
details.calls summary .count { color: var(--muted); font-size: 0.9rem; margin-left: 6px; }
details.calls[open] summary { border-bottom: 1px solid var(--line); }
details.calls .table-wrap { border: 0; border-radius: 0 0 8px 8px; }
details.calls table { font-size: 0.85rem; }
details.calls:target, .finding:target, .file:target { outline: 2px solid var(--accent); outline-offset: 2px; }
.state-present { color: var(--ok); }
.state-absent { color: var(--error); font-weight: 600; }
.state-unknown { color: var(--warn); }
.state-na { color: var(--muted); }
.filter { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 14px; }
.filter select { font: inherit; padding: 4px 8px; }
.filter p { margin: 0; color: var(--muted); }
.file { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 14px; }
.file > h3 { padding: 10px 14px; border-bottom: 1px solid var(--line); display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.file > h3 .count { color: var(--muted); font-weight: 400; font-size: 0.9rem; }
ol.findings { list-style: none; margin: 0; padding: 0; }
.finding { padding: 10px 14px; border-top: 1px solid var(--line); }
.finding:first-child { border-top: 0; }
.finding-head { margin: 0 0 6px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.pos { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
.msg { flex: 1 1 480px; }
.rule-link { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
pre.frame { margin: 0; padding: 8px 10px; background: var(--code-bg); border-radius: 6px; overflow-x: auto; line-height: 1.45; }
pre.frame .mark { color: var(--mark); font-weight: 700; }
pre.frame .gutter { color: var(--muted); }
footer { color: var(--muted); padding-top: 24px; padding-bottom: 40px; font-size: 0.85rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/**
 * Progressive enhancement: without JavaScript every finding is shown and the dependency map keeps
 * its order. With it, a rule filter appears (also driven by `#rule=<id>` in the address, which the
 * rule chart's bars link to); the map's column headers become sort buttons (`aria-sort` on the
 * sorted one); a link to a dependency's call sites or to a finding opens or reveals its target; and
 * `data-js="ready"` on <html> says the script ran.
 */
export const SCRIPT = `
(function () {
  var root = document.documentElement;
  var controls = document.querySelector('[data-filter-controls]');
  var select = document.getElementById('rule-filter');
  var status = document.getElementById('filter-status');
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var files = Array.prototype.slice.call(document.querySelectorAll('.file'));
  function known(rule) {
    return !!select && Array.prototype.some.call(select.options, function (o) { return o.value === rule; });
  }
  function fromHash() {
    var match = /^#rule=(.+)$/.exec(location.hash);
    var rule = match ? decodeURIComponent(match[1]) : '';
    return known(rule) ? rule : '';
  }
  function apply(rule) {
    var shown = 0;
    findings.forEach(function (f) {
      var on = !rule || f.getAttribute('data-rule') === rule;
      f.hidden = !on;
      if (on) shown++;
    });
    files.forEach(function (file) { file.hidden = !file.querySelector('.finding:not([hidden])'); });
    select.value = rule;
    root.setAttribute('data-filter', rule || 'all');
    status.textContent = rule
      ? 'Showing ' + shown + ' of ' + findings.length + ' problems: ' + rule + '.'
      : 'Showing all ' + findings.length + ' problems.';
  }
  /** The element an \`#id\` address names (a dependency's call sites, a finding, a file); not \`#rule=\`. */
  function hashTarget() {
    var id = location.hash.slice(1);
    if (!id || /^rule=/.test(id)) return null;
    try { return document.getElementById(decodeURIComponent(id)); } catch (e) { return null; }
  }
  /** Opens the call sites a link points to; shows a finding the rule filter hides. */
  function reveal(target) {
    if (target.tagName === 'DETAILS') target.open = true;
    if (select && target.closest('[hidden]')) apply('');
    target.scrollIntoView();
  }
  if (controls && select && status) {
    controls.hidden = false;
    select.addEventListener('change', function () {
      try { history.replaceState(null, '', select.value ? '#rule=' + encodeURIComponent(select.value) : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
      apply(select.value);
    });
    apply(fromHash());
  }
  window.addEventListener('hashchange', function () {
    var target = hashTarget();
    if (target) { reveal(target); return; }
    if (!select) return;
    apply(fromHash());
    var findingsSection = document.getElementById('findings');
    if (findingsSection) findingsSection.scrollIntoView();
  });
  var initial = hashTarget();
  if (initial) reveal(initial);
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), sortable);
  root.setAttribute('data-js', 'ready');

  /**
   * Column headers become buttons that sort the rows by each cell's data-sort (a number or a text):
   * the first click in the header's data-sort-first direction, the next the other way. Cells
   * without a key (a policy that applies to no call) stay last; ties keep the original order.
   */
  function sortable(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var announce = document.getElementById('sort-status');
    var hint = table.querySelector('[data-sort-hint]');
    if (hint) hint.hidden = false;
    headers.forEach(function (th, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var current = th.getAttribute('aria-sort');
        var direction = current === 'ascending' ? 'descending' : current === 'descending' ? 'ascending' : th.getAttribute('data-sort-first') || 'ascending';
        var sign = direction === 'ascending' ? 1 : -1;
        var numeric = th.getAttribute('data-sort-type') === 'number';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', direction);
        var keyed = rows.map(function (row, index) {
          var key = row.cells[column].getAttribute('data-sort');
          return { row: row, index: index, key: key === null ? null : numeric ? Number(key) : key.toLowerCase() };
        });
        keyed.sort(function (a, b) {
          if (a.key === null || b.key === null) return (a.key === null) - (b.key === null) || a.index - b.index;
          return (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * sign || a.index - b.index;
        });
        keyed.forEach(function (k) { body.appendChild(k.row); });
        if (announce) announce.textContent = 'Sorted by ' + button.textContent + ', ' + direction + '.';
      });
    });
  }
})();
`;

export const STYLE_HASH = cspHash(STYLE);
export const SCRIPT_HASH = cspHash(SCRIPT);

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
