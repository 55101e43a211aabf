import type { CommandModule } from 'yargs';
import { clockTime, expiresIn } from '../format.js';
import { action, clientFor, print, printJson, wholeNumber, withClientOptions, type ClientArgs } from './shared.js';

interface CreateArgs extends ClientArgs {
  ttl: number | undefined;
}

/** `warmshower create [--ttl S]`: opens a session and prints its code and host token. */
export const createCommand: CommandModule<object, CreateArgs> = {
  command: 'create',
  describe: 'Open a session; prints its code and the host token',
  builder: (yargs) =>
    withClientOptions(yargs)
      .option('ttl', { type: 'number', describe: 'lifetime of the session in seconds (10 to 86400)', requiresArg: true })
      .example('$0 create --ttl 1800', 'a session that lasts 30 minutes')
      .example('$0 create --json', '{"code":"123456","hostToken":"…","expiresAt":"…","ttlSeconds":3600}') as never,
  handler: action(async (args: CreateArgs) => {
    const ttlSeconds = wholeNumber(args.ttl, '--ttl');
    const client = clientFor(args);
    const session = await client.createSession(ttlSeconds === undefined ? {} : { ttlSeconds });
    if (args.json) return printJson(session);
    const server = args.server === 'http://localhost:3000' ? '' : ` --server ${args.server}`;
    print(`Session ${session.code} is open; it ${expiresIn(session.expiresAt)} (at ${clockTime(session.expiresAt)}).`);
    print(`Code:       ${session.code}`);
    print(`Host token: ${session.hostToken}`);
    print('');
    print(`Everyone joins with:  warmshower join ${session.code}${server} --name "Your name"`);
    print(`or in a browser:      ${new URL(`?code=${session.code}`, withSlash(client.server))}`);
    print('Keep the host token to yourself: it shows progress (status) and ends the session (end).');
  }),
};

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);
