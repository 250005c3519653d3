/** Where a rule's documentation lives (docs/rules/<id>.md in the repository): ESLint, SARIF and reports link here. */
export const DOCS_BASE = 'https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
