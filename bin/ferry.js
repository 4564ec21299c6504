#!/usr/bin/env node
// Runs the compiled CLI in dist/ (`npm run build`; `npm ci` and `npm pack` build it through `prepare`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.stderr.write(
    'ferry: this checkout is not built yet (dist/ is missing). Run `npm run build` in the repository, or `npm ci`, which builds it.\n',
  );
  process.exitCode = 2;
}
