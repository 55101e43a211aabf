// Real Redis servers of a test file's own: a Redis Cluster on free loopback ports (one private
// Redis to disturb is in redis-server.ts, re-exported here).

import { join } from 'node:path';
import { Redis } from 'ioredis';
import { eventually } from './eventually.js';
import { host, makeDirectory, removeDirectory, startNode, type NodeProcess } from './redis-server.js';

export { describeWithRedisCluster, startRedisServer, type RedisServer } from './redis-server.js';

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisCluster {
  /** Every node, in the order started: the first `masters` of them start as masters. */
  nodes: RedisNode[];
  /** The masters now (a failover changes them). */
  masters(): Promise<RedisNode[]>;
  /** The first node, `redis://127.0.0.1:P`: a client finds the others from it. */
  url: string;
  /** Every node as a URL. */
  urls: string[];
  /** The master serving `key` (its slot, from CLUSTER KEYSLOT and CLUSTER SLOTS). */
  masterOf(key: string): Promise<RedisNode>;
  /**
   * Runs CLUSTER FAILOVER on a replica of the master serving `key` and waits until every node
   * sees the promotion and the old master is a replica in sync (so another failover can follow).
   * Needs `replicasPerMaster` ≥ 1.
   */
  failover(key: string): Promise<{ from: RedisNode; to: RedisNode }>;
  /** Kills one node at once, as a crash would (`failover()` needs every node alive). */
  kill(node: RedisNode): Promise<void>;
  /** Kills every node and removes their files; safe to call twice. */
  stop(): Promise<void>;
}

/** One entry of CLUSTER SLOTS: first slot, last slot, the master, then its replicas. */
type SlotRange = [number, number, [string, number, string], ...Array<[string, number, string]>];

/**
 * Starts a Redis Cluster of `masters` masters with `replicasPerMaster` replicas each, on free
 * loopback ports, and resolves once every node says `cluster_state:ok`, every slot is served and
 * every replica is in sync. Call `stop()` in `afterAll`.
 */
export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number } = {}): Promise<RedisCluster> {
  const masterCount = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 0;
  if (masterCount < 3) throw new RangeError('A Redis Cluster needs at least 3 masters.');
  const dir = await makeDirectory('cluster');
  const processes: NodeProcess[] = [];
  const admins = new Map<number, Redis>();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const admin of admins.values()) admin.disconnect();
      await Promise.all(processes.map((node) => node.stop()));
      await removeDirectory(dir);
    })());

  try {
    const taken = new Set<number>();
    for (let i = 0; i < masterCount * (1 + replicasPerMaster); i++) {
      const node = await startNode(taken, (port) => [
        '--cluster-enabled', 'yes',
        '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', '2000',
        '--dir', dir,
        // Replicas sync at once, and their offsets move every second: CLUSTER SLOTS leaves out a
        // replica whose offset is still 0, so the default 10 s ping would hide them that long.
        '--repl-diskless-sync-delay', '0',
        '--repl-ping-replica-period', '1',
      ]);
      processes.push(node);
      admins.set(node.port, await adminClient(node.port));
    }
    const nodes = processes.map(({ port }) => ({ host, port }));
    const admin = (node: RedisNode): Redis => {
      const client = admins.get(node.port);
      if (!client) throw new Error(`${node.host}:${node.port} is not a node of this cluster.`);
      return client;
    };
    await formCluster(nodes, masterCount, admin);

    /** Every node agrees on the shape: all slots served, the right roles, replicas in sync. */
    const settled = async (): Promise<void> => {
      for (const node of nodes) {
        const info = (await admin(node).call('CLUSTER', 'INFO')) as string;
        for (const fact of ['cluster_state:ok', 'cluster_slots_ok:16384', `cluster_known_nodes:${nodes.length}`]) {
          if (!info.includes(fact)) throw new Error(`${node.port} has not settled: no ${fact} in CLUSTER INFO`);
        }
        const view = parseNodes((await admin(node).call('CLUSTER', 'NODES')) as string);
        const masters = view.filter((n) => n.flags.includes('master'));
        const replicas = view.filter((n) => n.flags.includes('slave'));
        if (masters.length !== masterCount || replicas.length !== masterCount * replicasPerMaster) {
          throw new Error(`${node.port} sees ${masters.length} masters and ${replicas.length} replicas`);
        }
        if (view.some((n) => /fail|handshake|noaddr/.test(n.flags))) throw new Error(`${node.port} sees a failing node`);
        const ranges = (await admin(node).call('CLUSTER', 'SLOTS')) as SlotRange[];
        if (ranges.some((range) => range.length !== 3 + replicasPerMaster)) throw new Error(`${node.port} lists not all replicas in CLUSTER SLOTS`);
        const replication = await admin(node).info('replication');
        if (replication.includes('role:slave') && !/master_link_status:up[\s\S]*master_sync_in_progress:0/.test(replication)) {
          throw new Error(`${node.port} is a replica not yet in sync`);
        }
        if (replication.includes('role:master') && (replication.match(/state=online/g) ?? []).length !== replicasPerMaster) {
          throw new Error(`${node.port} has not all its replicas online`);
        }
      }
    };
    await eventually(settled, 15_000);

    const killed = new Set<number>();
    /** Asks the first node still alive (a test may have killed some). */
    const ask = async <T>(question: (client: Redis) => Promise<T>): Promise<T> => {
      const alive = nodes.find(({ port }) => !killed.has(port));
      if (!alive) throw new Error('Every node of this cluster has been killed.');
      return question(admin(alive));
    };
    /** The nodes serving `key`'s slot: its master, then its replicas. */
    const servingKey = async (key: string): Promise<RedisNode[]> => {
      const slot = Number(await ask((client) => client.call('CLUSTER', 'KEYSLOT', key)));
      const ranges = (await ask((client) => client.call('CLUSTER', 'SLOTS'))) as SlotRange[];
      const range = ranges.find(([from, to]) => from <= slot && slot <= to);
      if (!range) throw new Error(`No node serves slot ${slot}.`);
      const [, , ...servers] = range;
      return servers.map(([nodeHost, port]) => ({ host: nodeHost, port: Number(port) }));
    };

    return {
      nodes,
      url: `redis://${host}:${nodes[0]!.port}`,
      urls: nodes.map(({ port }) => `redis://${host}:${port}`),
      masters: async () => {
        const view = parseNodes((await ask((client) => client.call('CLUSTER', 'NODES'))) as string);
        return view.filter((n) => n.flags.includes('master')).map(({ port }) => ({ host, port }));
      },
      masterOf: async (key) => (await servingKey(key))[0]!,
      failover: async (key) => {
        const [from, to] = await servingKey(key);
        if (!from || !to) throw new Error(`The master serving "${key}" has no replica: start the cluster with replicasPerMaster ≥ 1.`);
        await admin(to).call('CLUSTER', 'FAILOVER');
        await eventually(async () => {
          for (const node of nodes) {
            const ranges = (await admin(node).call('CLUSTER', 'SLOTS')) as SlotRange[];
            const served = ranges.filter(([, , master]) => Number(master[1]) === to.port);
            if (served.length === 0) throw new Error(`${node.port} does not yet see ${to.port} as a master`);
          }
          await settled();
        }, 15_000);
        return { from, to };
      },
      kill: async (node) => {
        const index = nodes.findIndex(({ port }) => port === node.port);
        if (index < 0) throw new Error(`${node.host}:${node.port} is not a node of this cluster.`);
        killed.add(node.port);
        admin(node).disconnect();
        await processes[index]!.stop();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Makes masters and replicas one cluster, as `redis-cli --cluster create` does (slots, distinct
 * config epochs, MEET, REPLICATE) but without its fixed one-second sleeps, which would triple the
 * start-up time of every suite.
 */
async function formCluster(nodes: RedisNode[], masterCount: number, admin: (node: RedisNode) => Redis): Promise<void> {
  const masters = nodes.slice(0, masterCount);
  await Promise.all(
    masters.map((node, i) => {
      const first = Math.floor((i * 16_384) / masterCount);
      const last = Math.floor(((i + 1) * 16_384) / masterCount) - 1;
      return admin(node).call('CLUSTER', 'ADDSLOTSRANGE', first, last);
    }),
  );
  await Promise.all(nodes.map((node, i) => admin(node).call('CLUSTER', 'SET-CONFIG-EPOCH', i + 1)));
  await Promise.all(nodes.slice(1).map((node) => admin(nodes[0]!).call('CLUSTER', 'MEET', node.host, node.port)));
  const ids = await Promise.all(masters.map((node) => admin(node).call('CLUSTER', 'MYID') as Promise<string>));
  // Replica k follows master k mod masterCount; it can once gossip has told it about that master.
  await Promise.all(
    nodes.slice(masterCount).map((node, k) =>
      eventually(() => admin(node).call('CLUSTER', 'REPLICATE', ids[k % masterCount]!).then(() => undefined), 10_000),
    ),
  );
}

/** A connection for the helper's own questions: it never queues, so a dead node fails at once. */
async function adminClient(port: number): Promise<Redis> {
  const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function parseNodes(text: string): Array<{ port: number; flags: string }> {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address = '', flags = ''] = line.split(' ');
      return { port: Number(/:(\d+)/.exec(address)?.[1]), flags };
    });
}
