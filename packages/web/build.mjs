// Placeholder until the web issue: makes an empty dist so the server can serve something.
import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync(new URL('./dist', import.meta.url), { recursive: true });
writeFileSync(new URL('./dist/index.html', import.meta.url), '<!doctype html><title>Warm Shower</title>');
