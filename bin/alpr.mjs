#!/usr/bin/env node
// Entry point of the `alpr` binary: registers the TypeScript loader, then runs the CLI.
// Running the sources directly (no build step) means the binary can never be stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
