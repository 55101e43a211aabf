// A real meeting: the join link and QR code other devices can use, and the presenter view.
import { networkInterfaces } from 'node:os';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createSession, describeInBrowser, seriousViolations, startPageServer, useFixture } from './fixture.js';

const f = useFixture({ server: false });

/** What the QR code on screen says, read back from a screenshot's pixels. */
async function qrText(page: Page, selector: string): Promise<string | null> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** This machine's addresses that other devices could reach (read only, never dialled): IPv4 first. */
function networkAddresses(): string[] {
  const entries = Object.values(networkInterfaces()).flat().filter((e) => e && !e.internal);
  const v4 = entries.filter((e) => e!.family === 'IPv4').map((e) => e!.address);
  const v6 = entries.filter((e) => e!.family === 'IPv6' && !/^fe80:/i.test(e!.address)).map((e) => `[${e!.address}]`);
  return [...v4, ...v6];
}

describeInBrowser('the join link and its QR code', () => {
  it('with a public URL, the QR code reads that URL with the code, and no loopback warning', async () => {
    const server = await startPageServer({ publicUrl: 'http://shower.test:4455' });
    try {
      const { page } = await f.person();
      const code = await createSession(page, `${server.url}/`);
      await expect.poll(() => page.getByLabel('Join link', { exact: true }).inputValue()).toBe(`http://shower.test:4455/?code=${code}`);
      expect(await qrText(page, '.invite .qr')).toBe(`http://shower.test:4455/?code=${code}`);
      await expect(page.getByText('Other devices cannot open this link:').isVisible()).resolves.toBe(false);
    } finally {
      await server.close();
    }
  });

  const addresses = networkAddresses();
  it('the host reads the whole join link, however long, at laptop and phone sizes', async () => {
    const publicUrl = 'https://warm-showers.engineering-platform-team.example.org/retrospective/';
    const server = await startPageServer({ publicUrl });
    try {
      const { page } = await f.person();
      const code = await createSession(page, `${server.url}/`);
      const field = page.getByLabel('Join link', { exact: true });
      await expect.poll(() => field.inputValue()).toBe(`${publicUrl}?code=${code}`);
      for (const [width, height] of [[1280, 800], [1024, 768], [390, 844]] as const) {
        await page.setViewportSize({ width, height });
        const cut = await field.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
        expect(cut, `the link cut off at ${width}×${height}`).toBe(false);
        const box = (await field.boundingBox())!;
        expect(box.x + box.width, `the link on screen at ${width}×${height}`).toBeLessThanOrEqual(width);
      }
    } finally {
      await server.close();
    }
  });

  const title = addresses.length > 0
    ? 'listening on every interface without a public URL, the QR code reads this machine’s network address'
    : 'listening on every interface on a machine without a network interface, the page says the link is this machine’s only';
  it(title, async () => {
    const server = await startPageServer({ host: '0.0.0.0' });
    try {
      const { page } = await f.person();
      // Browsed over loopback, as on the presenting laptop; the link must not be loopback.
      const code = await createSession(page, `http://127.0.0.1:${server.port}/`);
      if (addresses.length > 0) {
        const expected = `http://${addresses[0]}:${server.port}/?code=${code}`;
        await expect.poll(() => page.getByLabel('Join link', { exact: true }).inputValue()).toBe(expected);
        expect(await qrText(page, '.invite .qr')).toBe(expected);
        await expect(page.getByText('Other devices cannot open this link:').isVisible()).resolves.toBe(false);
      } else {
        await page.getByText('Other devices cannot open this link:').waitFor();
        await page.getByText(`--public-url http://<this computer’s address>:${server.port}`).waitFor();
      }
    } finally {
      await server.close();
    }
  });
});

describeInBrowser('the presenter view', () => {
  it('fills a projector at 1280×720 and 1920×1080 in both themes: code, QR code, link and live counts; Esc leaves', async () => {
    const server = await startPageServer({ publicUrl: 'http://shower.test:4455' });
    try {
      const { page } = await f.person({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
      const code = await createSession(page, `${server.url}/`);
      await page.getByRole('button', { name: 'Presenter view' }).click();
      const presenter = page.getByRole('dialog', { name: /Join the warm shower/ });
      await presenter.waitFor();
      await presenter.getByText('http://shower.test:4455/?code=').waitFor();
      await presenter.getByText('0 people joined').waitFor();

      // Live: two people join and write to each other; the counts follow, and the next step shows.
      const api = new (await import('@warmshower/client')).WarmshowerClient({ baseUrl: server.url });
      const [ana, bo] = await Promise.all(['Ana', 'Bo'].map((displayName) => api.join(code, { displayName })));
      await presenter.getByText('2 people joined').waitFor();
      await presenter.getByText('0 of 2 warm showers sent').waitFor();
      await api.withToken(ana!.token).send(code, { to: bo!.id, text: 'Thank you for the calm.' });
      await api.withToken(bo!.token).send(code, { to: ana!.id, text: 'Thank you for the jokes.' });
      await presenter.getByText('2 of 2 warm showers sent').waitFor();
      await presenter.getByText('Everyone has written to everyone.').waitFor();
      await presenter.getByRole('button', { name: 'End session' }).waitFor();

      for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
        await page.setViewportSize({ width, height });
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          const qr = (await presenter.locator('.qr').boundingBox())!;
          expect(Math.min(qr.width, qr.height), `QR at ${width}×${height}`).toBeGreaterThanOrEqual(0.4 * Math.min(width, height));
          const digits = presenter.locator('.presenter-code');
          await expect(digits.textContent()).resolves.toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
          const fontSize = await digits.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
          expect(fontSize, `code at ${width}×${height}`).toBeGreaterThanOrEqual(0.1 * height);
          const box = (await digits.boundingBox())!;
          expect(box.x + box.width, 'the code fits on screen').toBeLessThanOrEqual(width);
          expect(await qrText(page, '.presenter .qr')).toBe(`http://shower.test:4455/?code=${code}`);
          expect(await seriousViolations(page), `presenter ${width}×${height} ${colorScheme}`).toEqual([]);
        }
      }
      // The way out never covers the QR code, on a projector, a laptop or a phone.
      for (const [width, height] of [[1920, 1080], [1280, 720], [1366, 768], [390, 844], [360, 640]] as const) {
        await page.setViewportSize({ width, height });
        const qr = (await presenter.locator('.qr').boundingBox())!;
        const leave = (await presenter.getByRole('button', { name: 'Leave presenter view (Esc)' }).boundingBox())!;
        const apart = leave.x >= qr.x + qr.width || leave.x + leave.width <= qr.x || leave.y >= qr.y + qr.height || leave.y + leave.height <= qr.y;
        expect(apart, `Leave and the QR code apart at ${width}×${height}`).toBe(true);
        expect(await qrText(page, '.presenter .qr'), `QR at ${width}×${height}`).toBe(`http://shower.test:4455/?code=${code}`);
      }
      await page.keyboard.press('Escape');
      await presenter.waitFor({ state: 'hidden' });
      await expect(page.evaluate(() => document.fullscreenElement)).resolves.toBeNull();
      await expect(page.getByRole('button', { name: 'Presenter view' }).isVisible()).resolves.toBe(true);
      await page.locator('.host').getByText('Everyone has written to everyone.').waitFor(); // the host view says so too
    } finally {
      await server.close();
    }
  });
});
