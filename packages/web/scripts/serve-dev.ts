// Serves the built page with an in-memory API on a port, for trying the page by hand:
// `node build.mjs && node --import tsx scripts/serve-dev.ts [port]`.
import { startServer } from './server.js';

const server = await startServer({ port: Number(process.argv[2] ?? 3000) });
console.log(`Warm Shower page at ${server.url}/ (join links: ${server.joinUrl})`);
