#!/usr/bin/env node
console.error("warmshower: not built yet");
process.exit(1);
