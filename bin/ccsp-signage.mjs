#!/usr/bin/env node
// Entry point of the `ccsp-signage` command. The sources are TypeScript; tsx
// compiles them on load (Node 20 has no type stripping), so there is no build
// step between a checkout and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
