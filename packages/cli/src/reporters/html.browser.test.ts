/**
 * The HTML report in a real browser (Debian's `chromium`, headless): what a person sees once the
 * page has loaded and its script has run, what sorting the dependency map does, and a screenshot in
 * .artifacts/ to look at. .ci/run installs chromium, so CI never skips this; in CI a missing
 * chromium fails instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostile } from './fixtures/report.ts';
import { html } from './html.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/', import.meta.url));
const PAGE = path.join(ARTIFACTS, 'html-report.html');
/** The same page with CLICKS run after its own script (and allowed by its CSP). */
const CLICKED_PAGE = path.join(ARTIFACTS, 'html-report-sorted.html');
const SCREENSHOT = path.join(ARTIFACTS, 'html-report.png');
const WIDTH = 1280;
const HEIGHT = 2000;

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

const chromium = findChromium();
const skipNote = chromium ? '' : ' [skipped: chromium is not installed; `apt-get install -y chromium`]';
const profiles: string[] = [];

/** One headless chromium run with its own profile directory; resolves with its stdout. */
function runChromium(args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(path.join(tmpdir(), 'rk-chromium-'));
  profiles.push(profile);
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check',
    '--disable-extensions', '--hide-scrollbars', `--user-data-dir=${profile}`, `--window-size=${WIDTH},${HEIGHT}`];
  return new Promise((resolve, reject) => {
    execFile(chromium!, [...flags, ...args], { timeout: 20_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Clicks the dependency map's column headers, one after the other, and writes the row order and the
 * header's aria-sort after each click into <ol id="sort-log"> (--dump-dom has no other way in).
 */
const CLICKS = `
(function () {
  var log = document.createElement('ol');
  log.id = 'sort-log';
  document.body.appendChild(log);
  var headers = Array.prototype.slice.call(document.querySelectorAll('table[data-sortable] thead th'));
  ['Dependency', 'Dependency', 'Timeout', 'Calls', 'Backoff', 'Backoff'].forEach(function (label) {
    var th = headers.filter(function (h) { return h.textContent === label; })[0];
    th.querySelector('button').click();
    var rows = document.querySelectorAll('table[data-sortable] tbody tr');
    var sorted = headers.filter(function (h) { return h.hasAttribute('aria-sort'); }).map(function (h) { return h.textContent + ' ' + h.getAttribute('aria-sort'); });
    var item = document.createElement('li');
    item.textContent = sorted.join(', ') + ': ' + Array.prototype.map.call(rows, function (r) { return r.getAttribute('data-dependency'); }).join(' | ');
    log.appendChild(item);
  });
})();
`;

/** The report page with CLICKS after its script, the CSP allowing both. */
function withClicks(page: string): string {
  const hash = `'sha256-${createHash('sha256').update(CLICKS).digest('base64')}'`;
  return page.replace(/script-src ('sha256-[^']+')/, `script-src $1 ${hash}`).replace('</body>', `<script>${CLICKS}</script>\n</body>`);
}

/** The text a person reads: tags dropped, entities decoded, white space collapsed. */
function visibleText(dom: string): string {
  return dom.replace(/<(script|style|title|desc)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('html report in a real browser (Debian chromium, headless)', () => {
  it.runIf(Boolean(process.env['CI']))('has chromium to run with in CI (.ci/run installs it)', () => {
    expect(chromium, 'chromium is missing: .ci/run should have installed it with apt-get').toBeDefined();
  });

  let dom = '';
  let filtered = '';
  let sorted = '';
  let toCalls = '';
  let toFinding = '';

  beforeAll(async () => {
    if (!chromium) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const page = html(hostile, { color: false });
    writeFileSync(PAGE, page);
    writeFileSync(CLICKED_PAGE, withClicks(page));
    rmSync(SCREENSHOT, { force: true });
    const url = pathToFileURL(PAGE).href;
    [dom, filtered, sorted, toCalls, toFinding] = await Promise.all([
      runChromium(['--dump-dom', url]),
      runChromium(['--dump-dom', `${url}#rule=require-backoff`]),
      runChromium(['--dump-dom', pathToFileURL(CLICKED_PAGE).href]),
      runChromium(['--dump-dom', `${url}#calls-2`]),
      runChromium(['--dump-dom', `${url}#finding-4`]),
      runChromium([`--screenshot=${SCREENSHOT}`, url]),
    ]);
  }, 30_000);

  afterAll(() => {
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  });

  it.skipIf(!chromium)(`runs the page's script (allowed by its CSP) and none of the report's text${skipNote}`, () => {
    expect(dom).toMatch(/<html lang="en"[^>]* data-js="ready"/);
    expect(dom).toMatch(/<html lang="en"[^>]* data-filter="all"/);
    expect(dom).not.toContain('data-pwned');
    // The hostile strings are text on the page, not elements.
    expect(visibleText(dom)).toContain('fetch to <script>document.documentElement.dataset.pwned = "1"</script> has no timeout <img src=x');
    expect(dom.match(/<script>/g)).toHaveLength(1);
    expect(dom).not.toMatch(/<img\b/);
  });

  it.skipIf(!chromium)(`shows the heading, the verdict, the counts and the tables${skipNote}`, () => {
    const text = visibleText(dom);
    expect(dom).toContain('<h1>resilience-kit audit</h1>');
    expect(text).toContain('✖ 5 problems in 4 files of 4.');
    for (const card of ['Files analysed 4', 'Problems 5', 'Errors 4', 'Warnings 1', 'Fixable 1', 'Suppressed 1', 'Parse errors 1', 'Outbound calls 5']) {
      expect(text).toContain(` ${card} `);
    }
    expect(dom.match(/<tr data-rule="/g)).toHaveLength(3);
    expect(dom.match(/<tr data-dependency="/g)).toHaveLength(3);
    const row = /<tr data-dependency="https:\/\/pay\.example\.com">[\s\S]*?<\/tr>\n/.exec(dom)![0];
    expect(visibleText(row).trim()).toBe('https://pay.example.com 3 2 ! 2/3 (1 unknown) (some) 2/3 ✓ 2/2 (all) ! 1/2 (some) ✗ 0/1 (none) ! 2/3 (some) ✗ 0/3 (none)');
    expect(text).toContain('src/legacy.ts:5:9 require-timeout fetch call has no timeout.');
  });

  it.skipIf(!chromium)(`opens with the dependency map, its headers sort buttons, no column sorted yet${skipNote}`, () => {
    expect(/<main>\s*<section id="([^"]+)"/.exec(dom)?.[1]).toBe('dependency-map');
    expect(dom).toContain('<h2 id="dependency-map-heading">Dependency map</h2>');
    const headers = [...dom.matchAll(/<th scope="col"[^>]*data-sort-type[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(['Dependency', 'Calls', 'Files', 'Timeout', 'Retried', 'Backoff', 'Jitter', 'Idempotency key', 'Breaker', 'Fallback']
      .map((label) => `<button type="button" class="sort">${label}</button>`));
    expect(dom).not.toMatch(/<th[^>]* aria-sort=/);
    expect(dom).toContain('<span data-sort-hint="">Select a column header to sort by it.</span>');
    // Map order: named dependencies first (most calls first), the unresolved ones last.
    expect([...dom.matchAll(/<tr data-dependency="([^"]+)"/g)].map((m) => m[1])).toEqual(['https://pay.example.com', 'unresolved:fetch', 'unresolved:x']);
  });

  it.skipIf(!chromium)(`sorts the map by the column clicked, each way, policies that apply to no call last${skipNote}`, () => {
    const log = [...sorted.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
    expect(log).toEqual([
      // "<script>…" < "https://…" < "unresolved `fetch` target"
      'Dependency ascending: unresolved:x | https://pay.example.com | unresolved:fetch',
      'Dependency descending: unresolved:fetch | https://pay.example.com | unresolved:x',
      // Coverage: least covered first; ties keep the map's order.
      'Timeout ascending: unresolved:fetch | unresolved:x | https://pay.example.com',
      'Calls descending: https://pay.example.com | unresolved:fetch | unresolved:x',
      // Backoff applies only to pay's calls: the others stay last both ways.
      'Backoff ascending: https://pay.example.com | unresolved:fetch | unresolved:x',
      'Backoff descending: https://pay.example.com | unresolved:fetch | unresolved:x',
    ]);
    expect(sorted).toContain('<p id="sort-status" class="sr-only" aria-live="polite">Sorted by Backoff, descending.</p>');
    expect(sorted.match(/<th[^>]* aria-sort="[a-z]+"/g)).toEqual(['<th scope="col" data-sort-type="number" data-sort-first="ascending" aria-sort="descending"']);
  });

  it.skipIf(!chromium)(`opens a dependency's call sites from its link, and call sites link to their findings${skipNote}`, () => {
    expect(dom).toContain('<a href="#calls-2">unresolved <code>fetch</code> target</a>');
    expect(dom).toMatch(/<details class="calls" id="calls-2">/);
    expect(toCalls).toMatch(/<details class="calls" id="calls-2" open="">/);
    expect(toCalls).toMatch(/<details class="calls" id="calls-1">/);
    expect(toCalls).toContain('<a href="#finding-1" title="The finding on this line"><code>src/api.ts:2:3</code></a>');
    // Following a link to a finding leaves the filter showing every finding.
    expect(toFinding).toMatch(/<html lang="en"[^>]* data-filter="all"/);
    expect(toFinding).toMatch(/<li class="finding" id="finding-4" data-rule="require-backoff" data-severity="warn">/);
  });

  it.skipIf(!chromium)(`draws both charts as SVG with one bar per rule and directory${skipNote}`, () => {
    const rules = /<svg class="chart" id="chart-rules"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? '';
    const dirs = /<svg class="chart" id="chart-directories"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? '';
    expect(rules.match(/<rect class="bar /g)).toHaveLength(3);
    expect(dirs.match(/<rect class="bar /g)).toHaveLength(2);
    expect(rules).toContain('>require-timeout</text>');
  });

  it.skipIf(!chromium)(`reveals the rule filter and shows every finding by default${skipNote}`, () => {
    expect(dom).toMatch(/<div class="filter" data-filter-controls="">/);
    expect(dom).toContain('<p id="filter-status" aria-live="polite">Showing all 5 problems.</p>');
    expect(dom.match(/<li class="finding"[^>]*>/g)!.filter((li) => li.includes('hidden'))).toEqual([]);
  });

  it.skipIf(!chromium)(`filters by rule from #rule=<id>, hiding the other findings and emptied files${skipNote}`, () => {
    expect(filtered).toMatch(/<html lang="en"[^>]* data-filter="require-backoff"/);
    expect(filtered).toContain('<p id="filter-status" aria-live="polite">Showing 1 of 5 problems: require-backoff.</p>');
    const items = [...filtered.matchAll(/<li class="finding" id="[^"]+" data-rule="([^"]+)"[^>]*?( hidden="")?>/g)].map((m) => `${m[1]}${m[2] ? ' hidden' : ''}`);
    expect(items).toEqual(['require-timeout hidden', 'require-timeout hidden', 'parse error hidden', 'require-backoff', 'require-timeout hidden']);
    const files = [...filtered.matchAll(/<section class="file" data-file="([^"]+)"[^>]*?( hidden="")?>/g)].map((m) => `${m[1]}${m[2] ? ' hidden' : ''}`);
    expect(files).toEqual(['src/api.ts hidden', 'src/broken.ts hidden', 'src/jobs/sync.ts', 'src/x&quot;\'&lt;b&gt;.ts hidden']);
  });

  it.skipIf(!chromium)(`takes a screenshot: ${path.relative(process.cwd(), SCREENSHOT)}${skipNote}`, () => {
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([WIDTH, HEIGHT]);
    // A blank page of this size compresses to a few kilobytes; this one has text, tables and charts.
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(60_000);
  });
});
