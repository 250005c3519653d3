import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditReport, CallSite } from '../report.ts';
import { clean, hostile, IMG, report, XSS } from './fixtures/report.ts';
import { html } from './html.ts';

const render = (r: AuditReport): string => html(r, { color: false });
const DOCS = 'https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/';

/** Every start tag with its name and attributes (the escaped text cannot contain one). */
function tags(page: string): { name: string; attrs: string }[] {
  return [...page.matchAll(/<([a-zA-Z][\w-]*)(\s[^>]*)?>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2] ?? '' }));
}

function between(page: string, open: string, close: string): string {
  const start = page.indexOf(open);
  return page.slice(start + open.length, page.indexOf(close, start));
}

describe('html reporter: a self-contained, safe page', () => {
  const page = render(hostile);

  it('escapes report text everywhere: one script element, ours', () => {
    expect(tags(page).filter((t) => t.name === 'script')).toHaveLength(1);
    expect(tags(page).filter((t) => t.name === 'img')).toHaveLength(0);
    expect(page).not.toContain(XSS);
    expect(page).not.toContain(IMG);
    // The message, the source line in the code frame, the justification and the dependency name, as text:
    expect(page).toContain('<span class="msg"><code>fetch</code> to &lt;script&gt;document.documentElement.dataset.pwned = &quot;1&quot;&lt;/script&gt; has no timeout &lt;img src=x onerror=&quot;document.documentElement.dataset.pwned = 2&quot;&gt;</span>');
    expect(page).toContain('</span> const a = 1; fetch(&#39;&lt;script&gt;document.documentElement.dataset.pwned = &quot;1&quot;&lt;/script&gt;&#39;);');
    expect(page).toContain('<td>&lt;script&gt;document.documentElement.dataset.pwned = &quot;1&quot;&lt;/script&gt;</td></tr>');
    expect(page).toContain('<summary><span class="dep-name">&lt;script&gt;document.documentElement.dataset.pwned = &quot;1&quot;&lt;/script&gt;</span>');
    expect(page).toContain('<th scope="row" data-sort="&lt;script&gt;document.documentElement.dataset.pwned = &quot;1&quot;&lt;/script&gt;"><a href="#calls-3">&lt;script&gt;');
    expect(page).toContain('<section class="file" data-file="src/x&quot;&#39;&lt;b&gt;.ts" aria-label="src/x&quot;&#39;&lt;b&gt;.ts" id="file-4">');
  });

  it('loads nothing: no src, no stylesheet link, http(s) only in <a href> to the rule docs', () => {
    const all = tags(page);
    expect(all.filter((t) => t.name === 'link' || t.name === 'iframe' || t.name === 'object' || t.name === 'embed')).toEqual([]);
    const attributes = all.flatMap((t) => [...t.attrs.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)].map((m) => ({ tag: t.name, name: m[1]!.toLowerCase(), value: m[2] ?? '' })));
    expect(attributes.filter((a) => ['src', 'srcset', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'background'].includes(a.name))).toEqual([]);
    const hrefs = attributes.filter((a) => a.name === 'href');
    expect(hrefs.filter((a) => a.tag !== 'a')).toEqual([]);
    const external = hrefs.filter((a) => !a.value.startsWith('#'));
    expect(external.length).toBeGreaterThan(0);
    for (const a of external) expect(a.value).toMatch(new RegExp(`^${DOCS.replace(/[.]/g, '\\.')}[a-z-]+\\.md$`));
    // Anything else that mentions a URL is inert data (data-* attributes, the CSP itself names none).
    const others = attributes.filter((a) => a.name !== 'href' && /https?:/i.test(a.value));
    expect(others.map((a) => a.name)).toEqual(['data-dependency', 'data-sort']);
    const style = between(page, '<style>', '</style>');
    expect(style).not.toMatch(/@import|url\(|https?:/);
  });

  it('allows only its own style and script, by hash, in a Content-Security-Policy', () => {
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = hash(between(page, '<style>', '</style>'));
    const script = hash(between(page, '<script>', '</script>'));
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${style}; script-src ${script}; img-src data:; base-uri 'none'; form-action 'none'">`);
  });

  it('is deterministic: same report, same bytes; no dates', () => {
    expect(render(hostile)).toBe(page);
    expect(html(hostile, { color: true })).toBe(page);
    expect(page).not.toMatch(/\b20\d\d-\d\d-\d\d/);
  });
});

describe('html reporter: content', () => {
  const page = render(report);

  it('has a title, a heading, the verdict and the summary cards', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(page).toContain('<title>resilience-kit audit: 4 problems</title>');
    expect(page).toContain('<h1>resilience-kit audit</h1>');
    expect(page).toContain('<p class="verdict dirty">✖ 4 problems in 3 files of 4.</p>');
    const cards = [...page.matchAll(/<div class="card tone-(\w+)" data-card="[^"]+"><dt>([^<]+)<\/dt><dd>(\d+)<\/dd><\/div>/g)].map((m) => `${m[2]}=${m[3]} ${m[1]}`);
    expect(cards).toEqual([
      'Files analysed=4 neutral', 'Problems=4 error', 'Errors=3 error', 'Warnings=1 warn',
      'Fixable=1 ok', 'Suppressed=1 neutral', 'Parse errors=1 error', 'Outbound calls=4 neutral',
    ]);
  });

  it('draws bar charts by rule (most first, linked to the filter) and by directory, as SVG', () => {
    const rules = between(page, '<svg class="chart" id="chart-rules"', '</svg>');
    expect(rules).toContain('<title id="chart-rules-title">Problems by rule</title>');
    expect(rules).toContain('<desc id="chart-rules-desc">require-timeout: 2 (error); require-backoff: 1 (warning); parse errors: 1 (error)</desc>');
    const bars = [...rules.matchAll(/<a href="([^"]+)"><text[^>]*>([^<]+)<\/text><rect class="bar (bar-\w+)" x="220" y="\d+" width="(\d+)"/g)].map((m) => [m[1], m[2], m[3], Number(m[4])]);
    expect(bars).toEqual([
      ['#rule=require-timeout', 'require-timeout', 'bar-error', 292],
      ['#rule=require-backoff', 'require-backoff', 'bar-warn', 146],
      ['#rule=parse%20error', 'parse errors', 'bar-error', 146],
    ]);
    const dirs = between(page, '<svg class="chart" id="chart-directories"', '</svg>');
    expect([...dirs.matchAll(/<text class="bar-label"[^>]*>([^<]+)<\/text><rect class="bar bar-neutral" x="220" y="\d+" width="(\d+)"/g)].map((m) => `${m[1]} ${m[2]}`))
      .toEqual(['src/ 292', 'src/jobs/ 97']);
  });

  it('lists every rule that ran, with docs links, severity and counts', () => {
    const rows = [...between(page, '<section id="rules"', '</section>').matchAll(/<tr data-rule="([^"]+)">.*?<\/tr>/g)].map((m) =>
      m[0].replace(/<span class="desc">.*?<\/span>/, '').replace(/<[^>]+>/g, '|').replace(/\|+/g, '|'));
    expect(rows).toEqual([
      '|require-backoff|warning|1|0|0|suggestion; codemod |add-backoff|',
      '|require-idempotency-key|error|0|0|0|by hand|',
      '|require-timeout|error|2|1|1|suggestion; codemod |add-timeout|',
    ]);
    expect(page).toContain(`<a href="${DOCS}require-timeout.md"><code>require-timeout</code></a><span class="desc">Require a deadline on every network call.</span>`);
  });

  it('opens with the dependency map, before the summary cards', () => {
    const sections = [...page.matchAll(/<section id="([\w-]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['dependency-map', 'summary', 'charts', 'rules', 'findings', 'suppressed']);
    expect(page).toContain('<main>\n<section id="dependency-map" aria-labelledby="dependency-map-heading">\n<h2 id="dependency-map-heading">Dependency map</h2>\n<p>4 outbound calls to 2 dependencies, in 3 files. The dependency listed last is unresolved: the target of its calls could not be named.');
    expect(render(hostile)).toContain('<p>5 outbound calls to 3 dependencies, in 3 files. The 2 dependencies listed last are unresolved: the target of their calls could not be named.');
    // The header still names the audited root, and the footer says the paths are relative to it.
    expect(page).toContain('<p class="meta"><code>/work/project</code> · ');
    expect(page).toContain('paths are relative to <code>/work/project</code>.</p></footer>');
  });

  it('gives each dependency a row: calls, files, each policy as covered/applicable, with a symbol and words besides the colour', () => {
    const map = between(page, '<section id="dependency-map"', '</section>');
    expect([...map.matchAll(/<tr data-dependency="([^"]+)"/g)].map((m) => m[1])).toEqual(['https://pay.example.com', 'unresolved:fetch']);
    const row = between(page, '<tr data-dependency="https://pay.example.com">', '</tr>\n');
    expect(row.startsWith('<th scope="row" data-sort="https://pay.example.com"><a href="#calls-1">https://pay.example.com</a></th><td class="num" data-sort="3">3</td><td class="num" data-sort="2">2</td>')).toBe(true);
    const cells = [...row.matchAll(/<td class="cov (cov-[\w-]+)"(?: data-sort="([\d.]+)")?>(.*?)<\/td>/g)].map((m) => `${m[1]} ${m[2] ?? '-'}: ${m[3]!.replace(/<[^>]+>/g, '')}`);
    expect(cells).toEqual([
      'cov-partial 0.6667: !2/3 (1 unknown) (some)',
      'cov-info 0.6667: 2/3',
      'cov-full 1: ✓2/2 (all)',
      'cov-partial 0.5: !1/2 (some)',
      'cov-none 0: ✗0/1 (none)',
      'cov-partial 0.6667: !2/3 (some)',
      'cov-none 0: ✗0/3 (none)',
    ]);
    // Policies that apply to no call have no sort key: they sort last either way.
    expect(between(page, '<tr data-dependency="unresolved:fetch" class="unresolved">', '</tr>\n')).toContain('<td class="cov cov-na">—</td><td class="cov cov-na">—</td><td class="cov cov-na">—</td>');
  });

  it('is sortable once the script runs: each header says its key type and first direction; without it, plain headers', () => {
    const head = between(page, '<table class="inventory" data-sortable>', '</thead>');
    const headers = [...head.matchAll(/<th scope="col"(?: class="num")? data-sort-type="(\w+)" data-sort-first="(\w+)">([^<]+)<\/th>/g)].map((m) => `${m[3]} ${m[1]} ${m[2]}`);
    expect(headers).toEqual([
      'Dependency text ascending', 'Calls number descending', 'Files number descending',
      ...['Timeout', 'Retried', 'Backoff', 'Jitter', 'Idempotency key', 'Breaker', 'Fallback'].map((p) => `${p} number ascending`),
    ]);
    // The buttons and the hint are the script's: the static page claims no sorting it cannot do.
    expect(page).not.toMatch(/<button/);
    expect(head).toContain('<span data-sort-hint hidden>Select a column header to sort by it.</span>');
    expect(page).toContain('<p id="sort-status" class="sr-only" aria-live="polite"></p>');
  });

  it('links each dependency to its call sites, and each call site to the finding on its line', () => {
    const details = [...page.matchAll(/<details class="calls" id="(calls-\d+)"><summary><span class="dep-name">(.*?)<\/span> <span class="count">([^<]+)<\/span><\/summary>/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(details).toEqual(['calls-1 https://pay.example.com 3 call sites in 2 files', 'calls-2 unresolved <code>fetch</code> target 1 call site in 1 file']);
    expect(page).toContain('<a href="#calls-2">unresolved <code>fetch</code> target</a>');
    const pay = between(page, '<details class="calls" id="calls-1">', '</details>');
    expect(pay).toContain('<tr><td><code>src/pay.ts:4:3</code></td><td><code>axios.post</code> <span class="desc">axios</span></td><td>POST</td><td class="state-present">present</td><td class="state-present">present</td><td class="state-present">present</td><td class="state-absent">absent</td><td class="state-absent">absent</td><td class="state-present">present</td><td class="state-absent">absent</td></tr>');
    // src/api.ts:2 has a finding (finding-1); src/pay.ts has none, so no link.
    expect(page).toContain('<tr><td><a href="#finding-1" title="The finding on this line"><code>src/api.ts:2:3</code></a></td>');
    expect(page).toContain('<li class="finding" id="finding-1" data-rule="require-timeout" data-severity="error">');
  });

  it('links a call site to its file\'s findings when none is on its line', () => {
    const moved: CallSite = { ...report.dependencies[1]!.calls[0]!, line: 7 };
    const out = render({ ...report, dependencies: [report.dependencies[0]!, { ...report.dependencies[1]!, calls: [moved] }] });
    expect(out).toContain('<tr><td><a href="#file-1" title="The findings of this file"><code>src/api.ts:7:3</code></a></td>');
    expect(out).toContain('<section class="file" data-file="src/api.ts" aria-label="src/api.ts" id="file-1">');
  });

  it('orders the map: named dependencies by call sites (most first), then id; unresolved ones last', () => {
    const calls = (n: number): CallSite[] => Array.from({ length: n }, (_, i) => ({ ...report.dependencies[0]!.calls[0]!, line: i + 1 }));
    const out = render({
      ...report,
      dependencies: [
        { id: 'https://a.example.com', display: 'https://a.example.com', calls: calls(1) },
        { id: 'https://b.example.com', display: 'https://b.example.com', calls: calls(2) },
        { id: 'instance:payments', display: 'payments', calls: calls(2) },
        { id: 'unresolved:axios', display: 'unresolved `axios` target', calls: calls(5) },
      ],
    });
    expect([...out.matchAll(/<tr data-dependency="([^"]+)"/g)].map((m) => m[1])).toEqual(['https://b.example.com', 'instance:payments', 'https://a.example.com', 'unresolved:axios']);
    expect([...out.matchAll(/<a href="#(calls-\d+)">/g)].map((m) => m[1])).toEqual(['calls-1', 'calls-2', 'calls-3', 'calls-4']);
    expect(out).toContain('<p>10 outbound calls to 4 dependencies, in 1 file. The dependency listed last is unresolved');
  });

  it('lists findings by file with severity, rule link, fixable badge and an escaped code frame', () => {
    const items = [...page.matchAll(/<li class="finding" id="(finding-\d+)" data-rule="([^"]+)" data-severity="(\w+)">/g)].map((m) => m.slice(1).join(' '));
    expect(items).toEqual(['finding-1 require-timeout error', 'finding-2 require-timeout error', 'finding-3 parse error error', 'finding-4 require-backoff warn']);
    expect(page).toContain([
      '<span class="badge sev-warn">warning</span> <span class="pos">2:10</span> <span class="msg"><code>retry(…)</code> waits nothing between attempts.</span> '
        + `<a class="rule-link" href="${DOCS}require-backoff.md">require-backoff</a></p>`,
      '<pre class="frame"><code><span class="mark">&gt;</span> <span class="gutter">2 |</span>   return retry(() =&gt; push(), { retries: 3 });',
      '    <span class="gutter">|</span>          <span class="mark">^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^</span></code></pre></li>',
    ].join('\n'));
    expect(page).toContain('<span class="badge fixable">fixable</span>');
    // The filter is there for the script to reveal, hidden without it; its options count each rule.
    expect(page).toContain('<div class="filter" data-filter-controls hidden>');
    expect(page).toContain('<select id="rule-filter"><option value="">all rules (4)</option><option value="parse error">parse errors (1)</option><option value="require-backoff">require-backoff (1)</option><option value="require-timeout">require-timeout (2)</option></select>');
  });

  it('lists suppressed findings with their justification', () => {
    expect(page).toContain('<tr><td><code>src/legacy.ts:5:9</code></td><td><code>require-timeout</code></td><td><code>fetch</code> call has no timeout.</td><td>the legacy client has its own watchdog</td></tr>');
  });

  it('says so when there is nothing to report, and leaves out empty sections', () => {
    const empty = render(clean);
    expect(empty).toContain('<p class="verdict clean">✔ No problems found in 4 files.</p>');
    expect(empty).toContain('<title>resilience-kit audit: no problems</title>');
    expect(empty).toContain('<main>\n<section id="dependency-map" aria-labelledby="dependency-map-heading">\n<h2 id="dependency-map-heading">Dependency map</h2>\n<p class="empty">No outbound calls found.</p>\n</section>');
    expect(empty).not.toContain('<section id="suppressed"');
    expect(empty).not.toContain('<svg');
  });
});
