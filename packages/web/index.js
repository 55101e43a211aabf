import { fileURLToPath } from 'node:url';

/** Absolute path of the built page (index.html and its assets), for a server to serve at `/`. */
export const webRoot = fileURLToPath(new URL('./dist', import.meta.url));
