// The `arp-runtime` process: wires main() to the real stdout/stderr, signals and exit code.
import type { CliIo } from './io.js';
import { main } from './main.js';

const interrupt = new AbortController();
let signalled = false;
const shutdown = new Promise<string>((resolve) => {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      // A second signal while shutting down: stop now, so nobody is ever stuck.
      process.exit(130);
    }
    signalled = true;
    interrupt.abort();
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
});

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  waitForShutdown: () => shutdown,
  interrupt: interrupt.signal,
};

process.exitCode = await main(process.argv.slice(2), process.env, io);
