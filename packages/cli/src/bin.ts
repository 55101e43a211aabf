#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { run } from './run.js';

// `warmshower listen … | head -1` closes stdout early: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const exitCode = await run(hideBin(process.argv));
// A failure leaves at once, whatever is still open; success lets the work in progress (serve) go on.
if (exitCode !== 0) process.exit(exitCode);
