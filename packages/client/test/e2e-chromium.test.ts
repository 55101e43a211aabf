// The e2e entry in a real browser: Debian's Chromium (.ci/run installs it), the page's target.
// The bundle is served at http://localhost/, a secure context as the page is, so WebCrypto is there.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceAliases } from '../../../vitest.shared.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const vector = readFileSync(new URL('./vectors/warmshower-e2e-v1.json', import.meta.url), 'utf8');

const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@warmshower\// }, ({ path }) => {
      const source = workspaceAliases[path as keyof typeof workspaceAliases];
      return source === undefined ? undefined : { path: source };
    });
  },
};

// The public entry, plus the engines so both can be tried where the browser has native X25519.
const testEntry = `
export * from ${JSON.stringify(fileURLToPath(new URL('../src/e2e/index.ts', import.meta.url)))};
export { engine, engineNamed, sealBytes } from ${JSON.stringify(fileURLToPath(new URL('../src/e2e/hpke.ts', import.meta.url)))};
`;

/** Without Chromium the suite is skipped, saying why; under CI=true a missing browser fails. */
const describeInChromium = existsSync(chromiumPath)
  ? describe
  : process.env.CI === 'true'
    ? (title: string) =>
        describe(title, () => it(`needs Chromium at ${chromiumPath}`, () => expect.unreachable('no Chromium under CI=true')))
    : (title: string, body: () => void) => describe.skip(`${title} (skipped: no Chromium at ${chromiumPath})`, body);

describeInChromium('the e2e entry in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: testEntry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2020',
      minify: true,
      write: false,
      logLevel: 'silent',
      plugins: [workspaceSources],
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    // Served from memory: no server, no network.
    await page.route('http://localhost/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/e2e.js') return route.fulfill({ contentType: 'text/javascript', body: bundle.outputFiles[0]!.text });
      if (path === '/vector.json') return route.fulfill({ contentType: 'application/json', body: vector });
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>e2e</title><script type="module">import * as e2e from "/e2e.js"; window.e2e = e2e;</script>',
      });
    });
    await page.goto('http://localhost/');
    await page.waitForFunction('window.e2e !== undefined');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('seals, opens, reproduces the committed vectors and refuses a wrong recipient, as in Node', async () => {
    const report = await page.evaluate(async () => {
      // The bundle, as the page's module put it there; typed loosely, it is the page's, not ours.
      const e2e = (window as any).e2e;
      const vector = await (await fetch('/vector.json')).json();
      const m = vector.message;
      const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (byte) => parseInt(byte, 16));
      const keys = await e2e.generateKeyPair();
      const ciphertext = await e2e.seal({ code: '123456', recipientId: 'bobBBBBBBBBB', recipientPublicKey: keys.publicKey, text: 'Danke 🌧️' });
      const reproduced: Record<string, boolean> = {};
      for (const name of ['native', 'portable']) {
        const sealed = await e2e.sealBytes(e2e.engineNamed(name), {
          recipientPublicKey: e2e.fromBase64url(m.recipientPublicKey),
          info: new TextEncoder().encode(m.info),
          plaintext: e2e.pad(m.text),
          ikmE: hex(m.ikmE),
        });
        reproduced[name] = e2e.toBase64url(sealed) === m.ciphertext;
      }
      let wrongRecipient = 'opened';
      try {
        await e2e.open({ code: '123456', recipientId: 'aliceAAAAAAA', privateKey: keys.privateKey, ciphertext });
      } catch (error) {
        wrongRecipient = `${(error as Error).name} ${(error as { reason: string }).reason}`;
      }
      return {
        secureContext: window.isSecureContext,
        engine: (await e2e.engine()).name,
        publicKeyOf: (await e2e.publicKeyOf(keys.privateKey)) === keys.publicKey,
        roundTrip: await e2e.open({ code: '123456', recipientId: 'bobBBBBBBBBB', privateKey: keys.privateKey, ciphertext }),
        vectorOpens: (await e2e.open({ code: m.code, recipientId: m.recipientId, privateKey: m.recipientPrivateKey, ciphertext: m.ciphertext })) === m.text,
        vectorKey: (await e2e.publicKeyOf(m.recipientPrivateKey)) === m.recipientPublicKey,
        reproduced,
        safetyNumber: (await e2e.safetyNumber(vector.safetyNumber.participants)) === vector.safetyNumber.expected,
        wrongRecipient,
      };
    });
    expect(report).toEqual({
      secureContext: true,
      // Chromium has shipped WebCrypto X25519 since early 2025; older ones would say 'portable'.
      engine: 'native',
      publicKeyOf: true,
      roundTrip: 'Danke 🌧️',
      vectorOpens: true,
      vectorKey: true,
      reproduced: { native: true, portable: true },
      safetyNumber: true,
      wrongRecipient: 'UnreadableMessage does-not-open',
    });
  });
});
