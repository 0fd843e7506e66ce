#!/usr/bin/env node
// Thin launcher: the command's code is compiled to dist/cli.js.
import '../dist/cli.js';
