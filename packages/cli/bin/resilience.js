#!/usr/bin/env node
// The `resilience` command. No build step: tsx compiles the TypeScript sources on the fly.
import { register } from 'tsx/esm/api';

// TypeScript is 9 MB of CommonJS; imported through tsx's loader it takes ~300 ms longer than
// natively. Commands that analyse code load it first, so later imports hit the module cache.
if (process.argv[2] === 'audit' || process.argv[2] === 'fix') await import('typescript');

// `tsconfig: false`: the audited directory (the cwd) may hold any tsconfig.json, even a broken one;
// it must not change how our own sources are compiled.
register({ tsconfig: false });
await import('../src/bin.ts');
