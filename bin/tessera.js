#!/usr/bin/env node
// The `tessera` executable: runs the compiled CLI (npm ci builds it through the prepare script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write('tessera: not built yet; run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
require(cli);
