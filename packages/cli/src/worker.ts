/**
 * An audit worker thread (parallel.ts): it selects the same rules as the parent, then analyses each
 * unit it is handed (a program group, or a slice of syntax-only files) and posts back the results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type ts from 'typescript';
import { analyseGroups } from './audit.ts';
import type { FromWorker, ToWorker, WorkerInput } from './parallel.ts';
import { loadRegistry, selectRules } from './rules.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of the audit');
const input = workerData as WorkerInput;
const post = (message: FromWorker) => port.postMessage(message);

try {
  const { options } = input;
  const runs = selectRules(await loadRegistry(), { ruleIds: options.rules, strict: options.strict, settings: options.config?.rules });
  const plan = { root: input.plan.root, syntaxOnly: input.plan.syntaxOnly, roles: new Map(input.plan.roles) };
  const session = { runs, catalogue: options.config?.catalogue };
  // Declaration files parsed once per worker, shared by the programs of its units.
  const declarations = new Map<string, ts.SourceFile>();
  port.on('message', (message: ToWorker) => {
    if (message.unit === null) {
      port.close();
      return;
    }
    try {
      const { results, sources } = analyseGroups(plan, [message.unit], session, () => post({ kind: 'file' }), declarations);
      post({ kind: 'unit', results, sources: [...sources] });
    } catch (error) {
      post({ kind: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    }
  });
} catch (error) {
  post({ kind: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
