/**
 * Where `--cache` keeps its results by default. Its own module so that the command line, which names
 * it in `--help`, does not load the cache (and with it the engine and TypeScript) to print help.
 */
/** Under the cwd, where ESLint and Prettier keep theirs. */
export const DEFAULT_CACHE_LOCATION = 'node_modules/.cache/resilience/audit.json';
