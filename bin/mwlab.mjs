#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (no build step),
// then hands over to the CLI.

// A terminal's Ctrl-C reaches the whole process group. A worker started by a master leaves
// it to the master, which stops its workers itself (SIGTERM), in order: from the first
// moment (before loading anything), since a spare may still be loading.
if (process.argv.includes('--supervised')) process.on('SIGINT', () => {})

const { register } = await import('tsx/esm/api')
register()
await import('../cli/main.ts')
