// Programmatic entry points of @arp-ts/runtime-cli (the `arp-runtime` bin runs `main`).
export { main, COMMANDS } from './main.js';
export type { CliIo, Env, OutputStream } from './io.js';
export { EXIT_OK, EXIT_FAILURE, EXIT_USAGE, CliError } from './errors.js';
export { DEMO_REQUESTS, type DemoRequest } from './commands/demo.js';
export { ENV, DEFAULT_TRACE_DIR } from './config.js';
