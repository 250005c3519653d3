import { describe, expect, it } from 'vitest';
import type { AuditFinding, AuditReport, DependencyEntry } from '../report.ts';
import { report } from './fixtures/report.ts';
import { GITHUB_COMMENT_LIMIT, markdown, renderMarkdown } from './markdown.ts';

const LONG = 'has no timeout and can hang forever: the client sets no deadline by default, so a slow server holds the caller. Fix: pass `signal: AbortSignal.timeout(ms)`.';

function big(files: number, perFile: number, dependencies = 3): AuditReport {
  const findings: AuditFinding[] = [];
  for (let f = 0; f < files; f++) {
    for (let i = 0; i < perFile; i++) {
      findings.push({ ruleId: 'require-timeout', severity: 'error', file: `src/module-${String(f).padStart(4, '0')}/client.ts`, line: i + 1, column: 3, endLine: i + 1, endColumn: 20, message: `\`fetch(…)\` #${i} ${LONG}`, fixable: i % 2 === 0, fingerprint: `${f}:${i}` });
    }
  }
  const deps: DependencyEntry[] = Array.from({ length: dependencies }, (_, d) => ({
    id: `https://service-${d}.example.com`,
    display: `https://service-${d}.example.com`,
    calls: [{ ...report.dependencies[0]!.calls[0]!, file: `src/d${d}.ts` }],
  }));
  return { ...report, fileCount: files, findings, suppressed: [], errors: [], dependencies: deps, sources: new Map() };
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('markdown reporter: GitHub comment size', () => {
  it('stays within 65,536 characters, says how much it left out, and keeps its HTML balanced', () => {
    const huge = big(300, 10);
    const output = markdown(huge, { color: false });
    expect(GITHUB_COMMENT_LIMIT).toBe(65_536);
    expect(output.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(output.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2_000); // it uses the room it has
    const shown = count(output, '\n- `src/module-');
    const note = /> \[!NOTE\]\n> Cut to fit a GitHub comment: (\d+) of 3000 problems shown\. Run `resilience audit --format html` \(or `json`\) for the full report\./.exec(output);
    expect(note).not.toBeNull();
    expect(Number(note![1])).toBe(shown);
    expect(shown).toBeGreaterThan(200);
    expect(count(output, '<details>')).toBe(count(output, '</details>'));
    expect(count(output, '<summary>')).toBe(count(output, '</summary>'));
    // The dependency map still opens the report, whole, right under the verdict; the note comes last.
    expect(output).toMatch(/^## resilience-kit audit\n\n\*\*3000 problems\*\*[^\n]*\n\n\*\*Dependency map\*\*: 3 outbound calls to 3 dependencies\n\n[\s\S]*\| `https:\/\/service-2\.example\.com` \|[\s\S]*\n\n\| Rule \|/);
    expect(output).toMatch(/for the full report\.\n$/);
  });

  it('honours a smaller limit the same way', () => {
    const output = renderMarkdown(big(20, 5), 3_000);
    expect(output.length).toBeLessThanOrEqual(3_000);
    expect(output).toContain('> Cut to fit a GitHub comment: ');
    expect(count(output, '<details>')).toBe(count(output, '</details>'));
  });

  it('lists as many dependencies as fit in a quarter of the limit, then says how many more', () => {
    const output = markdown(big(1, 1, 2_000), { color: false });
    expect(output.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const listed = count(output, '\n| `https://service-');
    expect(listed).toBeGreaterThan(50);
    expect(listed).toBeLessThanOrEqual(100);
    expect(output).toContain(`\n\n${2_000 - listed} more dependencies not shown.`);
    expect(output).not.toContain('Cut to fit');
  });

  it('leaves a report that fits untouched: no note', () => {
    expect(markdown(big(3, 2), { color: false })).not.toContain('[!NOTE]');
  });
});

describe('markdown reporter: layout and safety', () => {
  it('shows the dependency map open up to 15 dependencies, folded into <details> beyond', () => {
    const open = markdown(big(1, 1, 15), { color: false });
    expect(open).toContain('\n\n**Dependency map**: 15 outbound calls to 15 dependencies\n\n| Dependency | Calls | Files | Timeout |');
    expect(open).not.toContain('<details>');
    const folded = markdown(big(1, 1, 16), { color: false });
    expect(folded).toContain('\n\n<details>\n<summary>Dependency map: 16 outbound calls to 16 dependencies</summary>\n\n| Dependency | Calls | Files | Timeout |');
    expect(folded).toMatch(/— does not apply \(calls not retried, or not a POST\/PATCH\)\n\n<\/details>\n\n\| Rule \|/);
  });

  it('lists the map in the order every format uses: most call sites first, unresolved last', () => {
    const calls = report.dependencies[0]!.calls;
    const output = markdown({ ...report, dependencies: [
      { id: 'unresolved:got', display: 'unresolved `got` target', calls },
      { id: 'https://a.example.com', display: 'https://a.example.com', calls: calls.slice(0, 1) },
      { id: 'https://b.example.com', display: 'https://b.example.com', calls: calls.slice(0, 2) },
    ] }, { color: false });
    const map = output.slice(output.indexOf('**Dependency map**'), output.indexOf('| Rule |'));
    expect([...map.matchAll(/^\| (.+?) \| (\d+) \| (\d+) \| /gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`))
      .toEqual(['`https://b.example.com` 2 1', '`https://a.example.com` 1 1', 'unresolved `got` target 3 2']);
  });

  it('folds each file into <details> when there are many problems', () => {
    const output = markdown(big(3, 8), { color: false });
    expect(output).toContain([
      '<details>',
      '<summary><code>src/module-0000/client.ts</code>: 8 problems</summary>',
      '',
      `- \`src/module-0000/client.ts:1:3\` **error** \`fetch(…)\` #0 ${LONG} (\`require-timeout\`)`,
    ].join('\n'));
    expect(output).not.toContain('### ');
    expect(markdown(big(2, 3), { color: false })).toContain('### `src/module-0000/client.ts`\n\n- ');
  });

  it('shows HTML in messages as text, does not @-mention, and survives backticks in paths', () => {
    const hostile: AuditReport = {
      ...report,
      findings: [{ ...report.findings[0]!, file: 'src/a`b.ts', message: 'Use `withTimeout` from @resilience-kit/policies, not <script>alert(1)</script>; mail ops@example.com.' }],
      errors: [],
      suppressed: [],
    };
    const output = markdown(hostile, { color: false });
    expect(output).toContain('- ``src/a`b.ts:2:21`` **error** Use `withTimeout` from `@resilience-kit/policies`, not &lt;script&gt;alert(1)&lt;/script&gt;; mail ops@example.com. (`require-timeout`)');
    expect(output).toContain('### ``src/a`b.ts``');
  });
});
