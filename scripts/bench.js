#!/usr/bin/env node
/*
 * `yarn bench [name…]`: runs benchmarks in bench/<name>.ts (all when none is
 * named). Each writes docs/benchmarks/<name>.json and prints a summary; the
 * numbers go into docs/benchmarks.md by hand, with the machine and date.
 */
const fs = require('fs');
const path = require('path');

require('@backstage/cli/config/nodeTransform.cjs');

const benchDir = path.resolve(__dirname, '../bench');
const available = fs
  .readdirSync(benchDir)
  .filter(f => f.endsWith('.ts') && !f.startsWith('_'))
  .map(f => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter(n => !available.includes(n));
if (unknown.length) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; available: ${available.join(
      ', ',
    )}`,
  );
  process.exit(2);
}

(async () => {
  for (const name of wanted.length ? wanted : available) {
    console.log(`\n## ${name}`);
    const { run } = require(path.join(benchDir, name));
    const result = await run();
    const out = path.resolve(__dirname, `../docs/benchmarks/${name}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
  // Benchmarks leave servers (test backends, simulators) behind on purpose.
  process.exit(0);
})().catch(error => {
  console.error(error);
  process.exit(1);
});
