// Entry point of the `arp-conformance` bin (bin/arp-conformance.js imports the compiled file).
import { runCli } from './cli-main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
