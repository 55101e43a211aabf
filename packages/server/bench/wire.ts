/**
 * The load generator's HTTP/1.1 client for the hot path: POSTs on keep-alive sockets of its own,
 * each request one string written once, each reply read for its status and body (Content-Length)
 * and nothing else. Node's http client builds a ClientRequest, an IncomingMessage, a parser's
 * state and header objects for every request (~200 µs of CPU and ~11 KB that outlive a young
 * collection per send here): the generator's own pauses then showed up as the server's latency,
 * against the do-nothing baseline too. One request at a time per socket, as a browser does.
 */
import net from 'node:net';

export interface Reply {
  status: number;
  body: string;
}

interface Waiting {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** One keep-alive socket: at most one request in flight, the reply parsed as it arrives. */
class Connection {
  readonly socket: net.Socket;
  private buffer = '';
  private waiting: Waiting | null = null;
  /** Set once this socket has answered a request: a failure on it may be a server's idle close. */
  reused = false;
  closed = false;

  constructor(host: string, port: number, onIdle: (connection: Connection) => void, onClose: (connection: Connection) => void) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.setEncoding('latin1'); // one character per byte: Content-Length counts in characters
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const waiting = this.waiting;
      if (!waiting) return void this.socket.destroy(); // nothing was asked: not a server we understand
      const reply = this.parse();
      if (!reply) return;
      this.waiting = null;
      this.reused = true;
      onIdle(this);
      waiting.resolve(reply);
    });
    const fail = (error: Error) => {
      this.closed = true;
      onClose(this);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(error);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' })));
  }

  request(text: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(text);
    });
  }

  /** The reply, once it is all here. */
  private parse(): Reply | null {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buffer.slice(0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.socket.destroy(new Error(`the bench's client reads replies with a Content-Length; got: ${head.split('\r\n', 1)[0]}`));
      return null;
    }
    const bodyEnd = end + 4 + Number(length[1]);
    if (this.buffer.length < bodyEnd) return null;
    const reply = { status: Number(head.slice(9, 12)), body: Buffer.from(this.buffer.slice(end + 4, bodyEnd), 'latin1').toString('utf8') };
    this.buffer = this.buffer.slice(bodyEnd);
    return reply;
  }
}

/** Keep-alive sockets to one server, opened as needed and reused. */
export class WireClient {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();

  constructor(private readonly base: URL) {}

  /** POSTs JSON; retried once on a fresh socket when a reused one was closed by the server meanwhile. */
  async post(path: string, token: string, body: unknown): Promise<Reply> {
    const payload = JSON.stringify(body);
    const text =
      `POST ${path} HTTP/1.1\r\nHost: ${this.base.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
    const connection = this.take();
    try {
      return await connection.request(text);
    } catch (error) {
      if (!connection.reused || (error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
      return this.open().request(text);
    }
  }

  close(): void {
    for (const connection of this.all) connection.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private take(): Connection {
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (!connection.closed) return connection;
    }
    return this.open();
  }

  private open(): Connection {
    const connection = new Connection(
      this.base.hostname,
      Number(this.base.port),
      (c) => this.idle.push(c),
      (c) => this.all.delete(c),
    );
    this.all.add(connection);
    return connection;
  }
}
