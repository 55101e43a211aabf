import { genericRuntime, type Runtime } from '../runtime.js';
import { nodeHeaders, readNodeBody } from './body.js';
import { NodeEventSink, nodeOutgoing } from './sse.js';

/**
 * The runtime of `@hono/node-server`: bodies read from the socket, event streams written straight
 * on the response, the socket's own address. Falls back to the generic runtime for a request that
 * did not come through Node's HTTP server (`app.request()` in tests).
 */
export function nodeRuntime(onError: (error: Error) => void = () => undefined): Runtime {
  return {
    // Node's own header object: asking Hono builds a web Headers from it for every request.
    header: (c, name) => {
      const headers = nodeHeaders(c);
      if (!headers) return genericRuntime.header(c, name);
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    // The socket's address, from Node's request (the generic runtime reads it the same way first).
    remoteAddress: genericRuntime.remoteAddress,
    readBody: (c, limit) => readNodeBody(c, limit, genericRuntime.readBody),
    eventStream: (c) => {
      const outgoing = nodeOutgoing(c);
      return outgoing ? new NodeEventSink(outgoing, onError) : genericRuntime.eventStream(c);
    },
  };
}
