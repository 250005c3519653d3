/**
 * Entry point of `bin/resilience.js`: wires `main` to the process. Nothing here may throw a stack
 * trace at the user, not even a module that fails to load.
 */
import { describeError } from './errors.ts';

const debug = Boolean(process.env['RESILIENCE_DEBUG']) && process.env['RESILIENCE_DEBUG'] !== '0';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `resilience audit . | head`: the reader went away; stop quietly.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  const { main } = await import('./cli.ts');
  process.exitCode = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(describeError(error, debug));
  process.exitCode = 2;
}
