// The page and the API mounted under a path prefix inside someone else's Hono app, over real HTTP.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '@warmshower/server';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webRoot } from '../index.js';
import { describeInBrowser, expectCount, hostJoinsToo, joinByLink, messagesOn, sendShower, textsOn, useFixture } from './fixture.js';

const f = useFixture({ server: false });
let server: ServerType;
let origin: string;

beforeAll(async () => {
  const app = new Hono();
  app.get('/', (c) => c.text('Team portal. Warm Shower lives under /ws/.'));
  app.route('/ws', createApp({ logger: false, rateLimits: false, staticRoot: webRoot }));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
});

describeInBrowser('mounted under /ws/', () => {
  it('three people shower each other and the host ends it; every request stays under /ws/', async () => {
    const base = `${origin}/ws/`;
    const people = [await f.person(), await f.person(), await f.person()];
    const requests: string[] = [];
    for (const { page } of people) page.on('request', (request) => requests.push(request.url()));
    const [host, ana, bo] = people.map((p) => p.page) as [typeof people[0]['page'], typeof people[0]['page'], typeof people[0]['page']];

    // `/ws` without the slash is sent to `/ws/`, where the page's relative URLs resolve.
    await host.goto(`${origin}/ws`);
    expect(host.url()).toBe(base);
    await host.getByRole('button', { name: 'Create a session' }).click();
    const code = ((await host.locator('.invite .code-display').textContent()) ?? '').replace(/\s/g, '');
    expect(host.url()).toBe(`${base}?code=${code}`);
    await expect.poll(() => host.getByLabel('Join link', { exact: true }).inputValue()).toBe(`${base}?code=${code}`);
    await hostJoinsToo(host, 'Hana');
    await joinByLink(ana, base, code, 'Ana');
    await joinByLink(bo, base, code, 'Bo');
    const names = ['Hana', 'Ana', 'Bo'];
    for (const [i, page] of [host, ana, bo].entries()) {
      for (const name of names.filter((_, j) => j !== i)) await sendShower(page, name, `For ${name}, from ${names[i]}.`);
    }
    for (const [i, page] of [host, ana, bo].entries()) {
      await expectCount(messagesOn(page), 2);
      expect((await textsOn(page)).sort()).toEqual(names.filter((_, j) => j !== i).map((from) => `For ${names[i]}, from ${from}.`).sort());
    }
    await ana.reload();
    await expectCount(messagesOn(ana), 2);
    await host.getByText('6 of 6 warm showers sent').waitFor();
    await host.getByRole('button', { name: 'End session', exact: true }).first().click();
    await host.getByRole('button', { name: 'End session for everyone' }).click();
    for (const page of [host, ana, bo]) {
      await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      expect(page.url()).toBe(base);
    }
    expect(requests.filter((url) => !url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([`${origin}/ws`]);
  });
});
