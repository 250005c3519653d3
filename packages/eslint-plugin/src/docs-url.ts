/** Where a rule's documentation lives: one definition, in the engine (SARIF and the reports use it too). */
export { DOCS_BASE, docsUrl } from '@resilience-kit/core';
