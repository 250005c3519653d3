import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Replace a file's content atomically: write a temporary file next to it (same file system),
 * give it the original's mode, then rename it over the original. A crash leaves either the old
 * or the new content, never half of one. With `create`, a file that does not exist yet is created
 * the same way (with the default mode), for the baseline and the cache.
 */
export function writeFileAtomic(file: string, content: string, options: { readonly create?: boolean } = {}): void {
  const mode = options.create && !existsSync(file) ? undefined : statSync(file).mode;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content, { encoding: 'utf8', flag: 'wx', ...(mode === undefined ? {} : { mode }) });
    if (mode !== undefined) chmodSync(temp, mode & 0o7777); // the umask may have narrowed the mode given to writeFileSync
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
