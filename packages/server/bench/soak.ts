/**
 * The soak run of `pnpm bench`: 10,000 streams over 500 sessions on Redis for 10 minutes, with
 * sends, joins, closes and reconnects (with `Last-Event-ID`) going on all along. At the end it
 * counts what a user would notice: warm showers lost (accepted, never received by their
 * recipient) or duplicated (received twice by one stream), stale presence (someone shown online
 * with no stream open, or the other way round), and the server's memory at the start and end.
 * Env: BENCH_SOAK_MINUTES (10; 0 skips it), BENCH_SOAK_SESSIONS (500), BENCH_SOAK_PEOPLE (20).
 */
import { randomBytes } from 'node:crypto';
import { WarmshowerClient } from '@warmshower/client';
import { startServerProcess } from '../test/fixtures/processes.js';
import { pool, send, sessions, stream, type Participant } from './load.js';

interface Person extends Participant {
  /** Every message id sent to them. */
  expected: Set<string>;
  /** Every message id their streams received (any incarnation). */
  received: Set<string>;
  duplicated: number;
  last: string | null;
  open: { close(): void } | null;
  peers: Person[];
  sentTo: Set<string>;
  /** A reconnect or close of theirs is under way: nobody else touches their streams meanwhile. */
  busy: boolean;
}

/** A participant as the soak follows them, with nothing heard or sent yet. */
const person = (p: Participant, peers: Person[] = []): Person => ({
  ...p,
  expected: new Set(),
  received: new Set(),
  duplicated: 0,
  last: null,
  open: null,
  peers,
  sentTo: new Set(),
  busy: false,
});

export async function soak(options: { minutes: number; sessions: number; people: number; redisUrl: string }) {
  const server = await startServerProcess(
    // 10,000 streams plus joins and reconnects go past rule 8's 10,000 a process: the soak is about
    // delivery and presence, so its server holds more.
    { redisUrl: options.redisUrl, redisPrefix: `soak:${randomBytes(4).toString('hex')}`, rateLimits: false, maxStreams: 20_000 },
    { built: true, execArgv: ['--expose-gc'] },
  );
  const base = new URL(server.url);
  const client = new WarmshowerClient({ baseUrl: base });
  try {
    const { teams, end } = await sessions(base, options.sessions, options.people);
    const people: Person[] = [];
    for (const team of teams) {
      const members = team.map((p) => person(p));
      for (const m of members) m.peers = members.filter((o) => o !== m);
      people.push(...members);
    }
    const connect = async (p: Person, attempts = 5): Promise<void> => {
      const seen = new Set<string>();
      const path = `/api/sessions/${p.code}/events`;
      try {
        p.open = await streamWithResume(base, path, p.token, p.last, (id) => {
          if (seen.has(id)) p.duplicated++;
          seen.add(id);
          p.received.add(id);
          p.last = id;
        });
      } catch (error) {
        // A stream refused for a moment (its five per person still counting one that just closed) is tried again.
        if (attempts <= 1) throw error;
        await new Promise((r) => setTimeout(r, 200));
        return connect(p, attempts - 1);
      }
    };
    await pool(people.length, 100, (i) => connect(people[i]!));
    const start = await server.stats();
    process.stderr.write(`soak: ${people.length} streams open, running ${options.minutes} min…\n`);
    const counts = { sends: 0, refused: 0, reconnects: 0, joins: 0, closes: 0 };
    // A step that failed (a stream not reopened, a join refused) is counted and the soak goes on:
    // one connection reset used to end a 10-minute run with nothing printed.
    const failures = new Map<string, number>();
    const failed = (step: string) => (error: unknown) => {
      const what = `${step}: ${error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error)}`;
      failures.set(what, (failures.get(what) ?? 0) + 1);
    };
    // Streams closed for a while come back on a timer; the end waits for every one of them.
    const away = new Set<ReturnType<typeof setTimeout>>();
    const inFlight = new Set<Promise<void>>();
    const track = (work: Promise<void>) => {
      inFlight.add(work);
      void work.catch(failed('reconnect after a close')).finally(() => inFlight.delete(work));
    };
    const deadline = Date.now() + options.minutes * 60_000;
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    const worker = async () => {
      while (Date.now() < deadline) {
        const roll = Math.random();
        const p = pick(people);
        if (roll < 0.8) {
          const to = p.peers.find((peer) => !p.sentTo.has(peer.id));
          if (!to) continue;
          p.sentTo.add(to.id);
          const reply = await send(base, `/api/sessions/${p.code}/messages`, p.token, { to: to.id, text: 'Thank you for being here.' }).catch(() => ({ status: 0, id: undefined }));
          if (reply.status === 201 && reply.id) {
            to.expected.add(reply.id);
            counts.sends++;
          } else counts.refused++;
        } else if (roll < 0.93) {
          if (p.busy || !p.open) continue;
          p.busy = true;
          p.open.close();
          p.open = null;
          await connect(p).then(() => counts.reconnects++, failed('reconnect'));
          p.busy = false;
        } else if (roll < 0.98) {
          if (p.busy || !p.open) continue;
          p.busy = true;
          p.open.close();
          p.open = null;
          counts.closes++;
          const timer = setTimeout(() => {
            away.delete(timer);
            track(connect(p).finally(() => (p.busy = false)));
          }, 2000 + Math.random() * 5000);
          away.add(timer);
        } else {
          const joined = await client.join(p.code, {}).catch(failed('join'));
          if (joined) {
            const newcomer = person({ id: joined.id, token: joined.token, code: p.code }, [...p.peers, p]);
            for (const peer of newcomer.peers) peer.peers.push(newcomer);
            people.push(newcomer);
            counts.joins++;
            await connect(newcomer).catch(failed('stream of one who joined'));
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    for (const timer of away) clearTimeout(timer);
    await Promise.allSettled([...inFlight]);
    // Everyone back online, then the deliveries settle.
    await pool(people.length, 50, async (i) => {
      if (!people[i]!.open) await connect(people[i]!).catch(failed('reconnect at the end'));
    });
    const settle = Date.now() + 10_000;
    const missing = () => people.reduce((n, p) => n + [...p.expected].filter((id) => !p.received.has(id)).length, 0);
    while (missing() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 200));
    // Half go away for good; presence must say exactly who is left.
    const leaving = people.filter((_, i) => i % 2 === 0);
    for (const p of leaving) {
      p.open?.close();
      p.open = null;
    }
    // Presence must match within the lease and heartbeat (~25 s at most); count it when it has settled.
    const countStale = async () => {
      let stale = 0;
      for (const team of new Set(people.map((p) => p.code))) {
        const members = people.filter((p) => p.code === team);
        const list = await client.withToken(members.find((m) => m.open)?.token ?? members[0]!.token).participants(team);
        for (const view of list.participants) {
          const person = members.find((m) => m.id === view.id);
          if (person && view.online !== (person.open !== null)) {
            stale++;
            if (process.env.BENCH_SOAK_DEBUG) process.stderr.write(`stale: ${person.id} shown ${view.online ? 'online' : 'offline'}, stream ${person.open ? 'open' : 'closed'}\n`);
          }
        }
      }
      return stale;
    };
    await new Promise((r) => setTimeout(r, 3000));
    const staleSoon = await countStale();
    let stale = staleSoon;
    const settleBy = Date.now() + 30_000;
    while (stale > 0 && Date.now() < settleBy) {
      await new Promise((r) => setTimeout(r, 2000));
      stale = await countStale();
    }
    const finish = await server.stats();
    for (const p of people) p.open?.close();
    await end().catch(() => undefined);
    return {
      minutes: options.minutes,
      streams: people.length,
      ...counts,
      lost: missing(),
      duplicated: people.reduce((n, p) => n + p.duplicated, 0),
      stalePresence: stale,
      /** Stale right after half of everyone left at once, before presence settled. */
      stalePresenceAfter3s: staleSoon,
      /** Steps that failed, by step and error: streams not reopened count their messages as lost. */
      failures: Object.fromEntries(failures),
      rssMB: { start: Math.round(start.memory.rss / 2 ** 20), end: Math.round(finish.memory.rss / 2 ** 20) },
      heapMB: { start: Math.round(start.memory.heapUsed / 2 ** 20), end: Math.round(finish.memory.heapUsed / 2 ** 20) },
    };
  } finally {
    await server.close();
  }
}

/** A stream that starts after `lastEventId` when given (a reconnect), or with the whole inbox. */
function streamWithResume(base: URL, path: string, token: string, lastEventId: string | null, onMessage: (id: string) => void) {
  return stream(base, path, token, onMessage, lastEventId ? { 'last-event-id': lastEventId } : {});
}
