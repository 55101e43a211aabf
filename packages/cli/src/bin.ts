#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.js';

await buildCli(hideBin(process.argv)).parseAsync();
