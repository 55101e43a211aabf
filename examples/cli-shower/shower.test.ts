import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

test('shower.sh runs a whole warm shower between three CLI participants: held, revealed, thanked', async () => {
  const script = fileURLToPath(new URL('./shower.sh', import.meta.url));
  const env = { ...process.env, PORT: String(await freePort()) };
  for (const name of ['WARMSHOWER', 'WARMSHOWER_URL', 'WARMSHOWER_TOKEN']) delete env[name];
  const { stdout } = await promisify(execFile)('bash', [script], { env, timeout: 60_000 });
  for (const name of ['Ada', 'Bob', 'Cy']) expect(stdout).toContain(`${name} received 2 warm showers.`);
  expect(stdout).toContain('Progress: 6 of 6 warm showers sent: everyone is done!');
  expect(stdout).toMatch(/Session \d{6} is revealed/);
  expect(stdout).toContain('3 thanks reached their writers.');
  expect(stdout).toMatch(/Session \d{6} has ended/);
}, 60_000);
