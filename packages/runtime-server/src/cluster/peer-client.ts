// HTTP between the shards of a cluster, over their private loopback listeners: relaying a
// client's request to the shard that owns the run (streams such as SSE included), and fetching
// a shard's local answer (listings, metrics). Kept-alive sockets, so a relay costs no connect.
import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';

/** Headers that belong to one connection and are never passed on (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** A shard that cannot be reached (down, restarting, or not up yet). */
export class ShardUnavailableError extends Error {
  constructor(
    readonly shard: number,
    cause?: unknown,
  ) {
    super(`shard ${shard} is not reachable`, cause === undefined ? undefined : { cause });
    this.name = 'ShardUnavailableError';
  }
}

export interface PeerRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  /** How long this send may go without an answer, when the peer may rightly hold it longer. */
  timeoutMs?: number;
}

export interface PeerAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/** The longest answer a peer fetch reads (listings of 1,000 runs fit many times over). */
const MAX_PEER_ANSWER_BYTES = 32 * 1024 * 1024;

function passOn(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const listed = String(headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

export class PeerClient {
  // No cap on sockets in use: relayed event streams hold theirs for as long as they last, and a
  // cap would queue every later relay behind them. Idle ones are kept up to a bound.
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });

  /** `timeoutMs`: how long a send (not a relay) may go without an answer (default 10 s). */
  constructor(readonly timeoutMs = DEFAULT_SEND_TIMEOUT_MS) {}

  /**
   * Relays `req` to the same path of `baseUrl` and streams the answer back to `res`. Rejects
   * with ShardUnavailableError when no answer came (then `res` is untouched); once the answer
   * has begun, a failure cuts the client's response short, as the owner's own failure would.
   */
  relay(shard: number, baseUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(new URL(req.url ?? '/', baseUrl), {
        method: req.method ?? 'GET',
        headers: passOn(req.headers),
        agent: this.agent,
      });
      let answered = false;
      upstream.on('response', (answer) => {
        answered = true;
        res.writeHead(answer.statusCode ?? 502, passOn(answer.headers));
        // Streams (SSE) must reach the client as they come.
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('end', () => resolve());
        res.on('close', () => {
          if (!answer.complete) answer.destroy();
          resolve();
        });
      });
      upstream.on('error', (err) => {
        if (answered) {
          res.destroy();
          resolve();
        } else reject(new ShardUnavailableError(shard, err));
      });
      // A client that goes away before the answer ends the relayed request too.
      res.on('close', () => {
        if (!answered) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }

  /** Sends a request to a peer; the whole answer as text. */
  send(shard: number, baseUrl: string, request: PeerRequest): Promise<PeerAnswer> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(new URL(request.path, baseUrl), {
        method: request.method,
        headers: request.headers,
        agent: this.agent,
        timeout: request.timeoutMs ?? this.timeoutMs,
      });
      upstream.on('timeout', () => upstream.destroy(new Error('the peer did not answer in time')));
      upstream.on('response', (answer) => {
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_PEER_ANSWER_BYTES) {
            upstream.destroy(new Error('peer answer too large'));
            return;
          }
          chunks.push(chunk);
        });
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 502,
            headers: answer.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        answer.on('error', (err) => reject(new ShardUnavailableError(shard, err)));
      });
      upstream.on('error', (err) => reject(new ShardUnavailableError(shard, err)));
      upstream.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
