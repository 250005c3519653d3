/**
 * A problem with what the user asked for (unknown rule, missing path, bad tsconfig, …).
 * The CLI prints its message as one line and exits with 2; it never shows a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}

/**
 * The lines to print for an error that escaped: a usage error's message, or for anything else
 * one line with a hint (the stack only with RESILIENCE_DEBUG=1).
 */
export function describeError(error: unknown, debug: boolean): string {
  if (isUsageError(error)) return `error: ${oneLine(error.message)}\n`;
  const message = error instanceof Error ? error.message : String(error);
  if (!debug) return `error: ${oneLine(message)} (run with RESILIENCE_DEBUG=1 for the stack)\n`;
  return `error: ${oneLine(message)}\n${stackOf(error)}\n`;
}

function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? '' : `\nCaused by: ${stackOf(error.cause)}`;
  return `${error.stack ?? error.message}${cause}`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
