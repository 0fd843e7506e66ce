// Requests that came from another shard, over this shard's private listener. Only those get a
// listing with each run's cursor (what a cluster merges pages by); the public API never does.
import type { IncomingMessage, RequestListener } from 'node:http';

const fromPeers = new WeakSet<IncomingMessage>();

export function isFromPeer(req: IncomingMessage): boolean {
  return fromPeers.has(req);
}

/** The listener of a shard's private listener: `local`, with every request marked as a peer's. */
export function peerListener(local: RequestListener): RequestListener {
  return (req, res) => {
    fromPeers.add(req);
    local(req, res);
  };
}
