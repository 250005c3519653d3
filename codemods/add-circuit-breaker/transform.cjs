// Entry for the plain jscodeshift CLI (no build step; tsx loads the TypeScript source):
//   jscodeshift --no-babel -t codemods/add-circuit-breaker/transform.cjs --extensions=ts,tsx,js src/
require('tsx/cjs/api').register();
const { default: transform } = require('./index.ts');
module.exports = transform;
module.exports.parser = 'tsx';
