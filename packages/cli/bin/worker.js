// An audit worker (src/parallel.ts) run from the repository's sources: tsx compiles them on the fly,
// as bin/resilience.js does. The published package starts dist/worker.mjs instead.
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('../src/worker.ts');
