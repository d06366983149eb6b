/**
 * A loopback TCP proxy that can stall: while stalled it keeps every
 * connection open and accepts new ones but forwards nothing, as a server
 * that stopped answering (or a network partition) looks to its clients.
 * Bytes held while stalled are forwarded in order on resume, unless their
 * connection closed meanwhile.
 */

import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';

/** A proxy to one target on an ephemeral loopback port. */
export interface StallingProxy {
  readonly port: number;
  /** Stops forwarding; connections stay open. */
  stall(): void;
  /** Forwards what was held, then everything again. */
  resume(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/** Starts a proxy to `targetHost:targetPort`. */
export async function startStallingProxy(
  targetHost: string,
  targetPort: number,
): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  let held: Array<[Socket, Buffer]> = [];
  let stalled = false;

  const relay = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (stalled) held.push([to, chunk]);
      else to.write(chunk);
    });
  };

  const server = createServer((inbound) => {
    const outbound = connect(targetPort, targetHost);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    relay(inbound, outbound);
    relay(outbound, inbound);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    port: (server.address() as { port: number }).port,
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const [to, chunk] of held) if (!to.destroyed) to.write(chunk);
      held = [];
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
