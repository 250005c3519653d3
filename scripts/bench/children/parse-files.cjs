// The bare-parse baseline: read every .ts file under a directory and parse it with
// ts.createSourceFile (parent pointers set, as the engine needs), keeping every tree alive as a
// program would. Plain CommonJS on purpose: no tsx loader in the baseline.
//   node parse-files.cjs <typescript module path> <dir>
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const [typescriptPath, dir] = process.argv.slice(2);
if (!typescriptPath || !dir) {
  console.error('usage: node parse-files.cjs <typescript module path> <dir>');
  process.exit(2);
}
const ts = require(typescriptPath);
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.split(path.sep).includes('node_modules'))
  .sort()
  .map((f) => path.join(dir, f));
const trees = [];
let statements = 0;
for (const file of files) {
  const tree = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  statements += tree.statements.length;
  trees.push(tree);
}
console.log(JSON.stringify({ files: trees.length, statements }));
