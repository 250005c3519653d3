/**
 * The HTML report in a real browser (Debian's `chromium`, headless): what a person sees once the
 * page has loaded and its script has run, and a screenshot in .artifacts/ to look at.
 * .ci/run installs chromium, so CI never skips this; in CI a missing chromium fails instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostile } from './fixtures/report.ts';
import { html } from './html.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/', import.meta.url));
const PAGE = path.join(ARTIFACTS, 'html-report.html');
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

  beforeAll(async () => {
    if (!chromium) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(PAGE, html(hostile, { color: false }));
    rmSync(SCREENSHOT, { force: true });
    const url = pathToFileURL(PAGE).href;
    [dom, filtered] = await Promise.all([
      runChromium(['--dump-dom', url]),
      runChromium(['--dump-dom', `${url}#rule=require-backoff`]),
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
    // A dependency row as it shows with its call sites folded (closed <details> show only their summary).
    const row = /<tr data-dependency="https:\/\/pay\.example\.com">[\s\S]*?<\/tr>\n/.exec(dom)![0]
      .replace(/<details[^>]*><summary>([\s\S]*?)<\/summary>[\s\S]*?<\/details>/, '$1');
    expect(visibleText(row).trim()).toBe('https://pay.example.com 3 ! 2/3 (1 unknown) (some) 2/3 ✓ 2/2 (all) ! 1/2 (some) ✗ 0/1 (none) ! 2/3 (some)');
    expect(text).toContain('src/legacy.ts:5:9 require-timeout fetch call has no timeout.');
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
