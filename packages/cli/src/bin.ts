#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv);
// A command that finished but set its own code (130 after Ctrl-C) keeps it.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
