import { readFileSync } from 'node:fs';

interface PackageJson {
  readonly version: string;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

export const toolName = 'resilience-kit';
/** The version of @resilience-kit/cli, reported in `--version` and the JSON report. */
export const toolVersion: string = pkg.version;
