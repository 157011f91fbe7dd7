import { runCli } from './cli';
import { EXIT, processIo } from './io';

// Were the event loop to drain before the command settles (a promise nobody will resolve), say so and fail rather
// than exit 0 in silence.
let settled = false;
process.exitCode = EXIT.failed;
process.once('beforeExit', () => {
  if (!settled) process.stderr.write('tessera: the command stopped before it finished\n');
});
void runCli(process.argv.slice(2), processIo()).then((code) => {
  settled = true;
  process.exitCode = code;
});
