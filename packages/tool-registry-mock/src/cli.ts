// The `arp-tool-registry` command (bin/arp-tool-registry.js imports this file).
import { runCli } from './cli/main.js';

runCli();
