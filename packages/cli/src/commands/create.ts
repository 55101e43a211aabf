import { joinLink } from '@warmshower/core/protocol';
import type { CommandModule } from 'yargs';
import { clockTime, expiresIn } from '../format.js';
import { action, clientFor, lifetime, print, printJson, tokens, withClientOptions, type ClientArgs } from './shared.js';

interface CreateArgs extends ClientArgs {
  ttl: string | undefined;
  reveal: boolean;
  e2e: boolean;
}

/** `warmshower create [--ttl S] [--reveal] [--e2e]`: opens a session and prints its code and host token. */
export const createCommand: CommandModule<object, CreateArgs> = {
  command: 'create',
  describe: 'Open a session; prints its code and the host token',
  builder: (yargs) =>
    withClientOptions(yargs, tokens.unused)
      .option('ttl', { type: 'string', describe: 'lifetime of the session in seconds (10 to 86400)', requiresArg: true })
      .option('reveal', {
        type: 'boolean',
        describe: 'hold every warm shower until the host runs "warmshower reveal CODE"',
        default: false,
      })
      .option('e2e', {
        type: 'boolean',
        describe: 'end-to-end encrypted: the server never sees a word of the warm showers',
        default: false,
      })
      .example('$0 create --ttl 1800', 'a session that lasts 30 minutes')
      .example('$0 create --reveal --e2e', 'held until revealed, and encrypted end to end')
      .example('HOST_TOKEN=$($0 create --json | tee session.json | jq -r .hostToken)', 'keep the host token for status, reveal, extend and end')
      .example(
        '$0 create --json',
        '{"code":"123456","hostToken":"…","expiresAt":"…","ttlSeconds":3600,"delivery":"live","encryption":"none"}',
      ) as never,
  handler: action(async (args: CreateArgs) => {
    const ttlSeconds = lifetime(args.ttl);
    const client = clientFor(args);
    const [session, info] = await Promise.all([
      client.createSession({
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        ...(args.reveal ? { delivery: 'reveal' } : {}),
        ...(args.e2e ? { encryption: 'e2e' } : {}),
      }),
      // For the join link other devices can open (SPEC §8); without it, the --server URL.
      args.json ? null : client.info().catch(() => null),
    ]);
    if (args.json) return printJson(session);
    const server = args.server === 'http://localhost:3000' ? '' : ` --server ${args.server}`;
    print(`Session ${session.code} is open; it ${expiresIn(session.expiresAt)} (at ${clockTime(session.expiresAt)}).`);
    print(`Code:       ${session.code}`);
    print(`Host token: ${session.hostToken}`);
    print('');
    print(`Everyone joins with:  warmshower join ${session.code}${server} --name "Your name"`);
    const link = joinLink(info?.joinUrl ?? client.baseUrl, session.code);
    print(`or in a browser:      ${link}`);
    // The server may be `serve` or an app mounted in someone's own server: say how to fix either.
    if (info?.joinUrlIsLoopback) {
      print(
        'That link points at this machine only: other devices cannot open it. Give the address people use with ' +
          '"warmshower serve --public-url https://…" (or listen on every interface: --host 0.0.0.0), ' +
          "or, for the app mounted in your own server, with createApp's publicUrl option.",
      );
    }
    if (session.delivery === 'reveal') {
      print(
        `Reveal mode: the warm showers are held, and nobody learns anything about theirs, until you run ` +
          `"warmshower reveal ${session.code}"; then everyone gets theirs at once.`,
      );
    }
    if (session.encryption === 'e2e') {
      print(
        'End-to-end encrypted: each person\'s device encrypts for the recipient, so the server never sees a word. ' +
          'It still sees who wrote to whom, and when.',
      );
    }
    print('Keep the host token to yourself: it shows progress (status) and ends the session (end). The host commands take it with --token:');
    print(`  export HOST_TOKEN=${session.hostToken}`);
    print(`  warmshower status ${session.code}${server} --token "$HOST_TOKEN"`);
  }),
};
