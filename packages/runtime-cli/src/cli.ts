// The `arp-runtime` process: wires main() to the real stdout/stderr, signals and exit code.
import type { CliIo } from './io.js';
import { main } from './main.js';

// A reader that goes away (`arp-runtime demo | head -3`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

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

const code = await main(process.argv.slice(2), process.env, io);
process.exitCode = code;
// Normally the process ends here by itself; should a library leave a handle open (a keep-alive
// socket, a timer), do not hang the user's shell: exit shortly after.
setTimeout(() => process.exit(code), 1_000).unref();
