/**
 * Calls that a one-size deadline would break: their own time is legitimately long, or not ours to
 * bound. Data for the require-timeout fix (fixes/deadline.ts), which refuses them as hand fixes
 * unless the rule's `deadlines` option names a deadline for their kind or origin.
 */

/** Non-streaming completions of hosted language models routinely take 30 s to several minutes. */
export const llmOrigins: readonly string[] = [
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'api.mistral.ai',
  'api.groq.com',
  'api.cohere.ai',
  'api.cohere.com',
  'api.together.xyz',
  'openrouter.ai',
  'api.deepseek.com',
  'api.perplexity.ai',
  'api.x.ai',
];

/** Host suffixes of model endpoints on cloud platforms (`<resource>.openai.azure.com`). */
export const llmHostSuffixes: readonly string[] = ['.openai.azure.com', '.services.ai.azure.com'];

/** Paths of completion APIs, also behind a proxy or a self-hosted gateway (OpenAI-compatible, Anthropic, Ollama). */
export const llmPaths: readonly string[] = ['/chat/completions', '/v1/completions', '/v1/messages', '/v1/responses', '/api/generate', '/api/chat'];

/**
 * Query parameters of presigned upload URLs (S3 and compatibles, GCS, Azure SAS): the request
 * carries a file whose transfer time depends on its size and the user's link.
 */
export const presignedMarkers: readonly string[] = ['X-Amz-Signature', 'X-Goog-Signature', 'x-amz-signature', 'x-goog-signature', 'sig=', 'Signature='];

/** Names of variables that hold such a URL. */
export const uploadUrlNames: RegExp = /(?:presigned|signed|upload)_?url/i;

/** Constructors and calls whose value, as a request body, is a file or a stream (uploads and streamed bodies). */
export const streamingBodies: readonly string[] = ['FormData', 'Blob', 'File', 'ReadableStream', 'createReadStream', 'Readable.from', 'fileFromPath', 'openAsBlob'];

/** Hosts that are this machine: a local agent or proxy whose latency is the user's own request's. */
export const localHosts: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'];

/**
 * A route that declares a long run (Next.js route segment config `export const maxDuration = 300`,
 * in seconds): its outbound calls are expected to take long.
 */
export const longRunningExport = 'maxDuration';

/**
 * Packages whose calls are model completions or long jobs (the SDKs of model providers and of job
 * runners such as Replicate): a route of the app that imports one is a long-running route, so a
 * call to it from the app's own pages is not given the default deadline.
 */
export const longJobModules: readonly string[] = [
  'openai',
  '@anthropic-ai/sdk',
  'ai',
  '@ai-sdk/openai',
  '@ai-sdk/anthropic',
  '@google/generative-ai',
  '@google/genai',
  '@mistralai/mistralai',
  'groq-sdk',
  'cohere-ai',
  'replicate',
  'langchain',
  '@langchain/openai',
  '@langchain/core',
];

/**
 * Where a web framework keeps the handler of a path (`/api/coach`): Next.js app and pages routers,
 * with or without `src/`. `{path}` is the URL path without its leading slash.
 */
export const routeFilePatterns: readonly string[] = [
  'app/{path}/route',
  'src/app/{path}/route',
  'pages/{path}',
  'pages/{path}/index',
  'src/pages/{path}',
  'src/pages/{path}/index',
];
