import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';

/** Fail before the (possibly long) run if `--output` cannot be written. */
export function checkOutputWritable(output: string, cwd: string): void {
  const file = path.resolve(cwd, output);
  const directory = path.dirname(file);
  const fail = (reason: string): never => {
    throw new UsageError(`cannot write --output ${output}: ${reason}`);
  };
  if (existsSync(file) && statSync(file).isDirectory()) fail('it is a directory');
  if (!existsSync(directory)) fail(`directory ${path.relative(cwd, directory) || '.'} does not exist`);
  if (!statSync(directory).isDirectory()) fail(`${path.relative(cwd, directory)} is not a directory`);
  try {
    accessSync(existsSync(file) ? file : directory, constants.W_OK);
  } catch {
    fail('permission denied');
  }
}

export function writeOutput(output: string, cwd: string, text: string): void {
  try {
    writeFileSync(path.resolve(cwd, output), text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`cannot write --output ${output}: ${code}`);
  }
}
