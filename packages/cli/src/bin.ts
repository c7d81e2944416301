#!/usr/bin/env node
import { main } from './main.js';

// `autofarm ... | head` closes the pipe early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });

const code = await main(process.argv);
// A command that finished but set its own code (130 after Ctrl-C) keeps it.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
