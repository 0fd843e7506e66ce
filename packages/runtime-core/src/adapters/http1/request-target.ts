// Where a request goes, parsed once per URL: the socket's origin, the request line's path and the
// Host header. Parsing a URL costs more than writing the rest of a request, and a client calls
// the same few URLs over and over.
import type { OriginAddress } from './socket-pool.js';

export interface SocketTarget extends OriginAddress {
  /** https: sent over node:https rather than this transport's sockets. */
  readonly secure: boolean;
  /** Path and query, percent-encoded, as the request line carries them. */
  readonly path: string;
  /** host[:port], the port only when it is not the scheme's default. */
  readonly hostHeader: string;
  /** `Basic ...` from the URL's user and password, when it has them. */
  readonly authorization: string | undefined;
}

function targetOf(url: string): SocketTarget {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:') {
    throw new TypeError(`unsupported protocol ${parsed.protocol}`);
  }
  const port = parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port);
  // An IPv6 literal keeps its brackets in the URL and the Host header, not in connect().
  const { hostname } = parsed;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const credentials =
    parsed.username === '' && parsed.password === ''
      ? undefined
      : `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  return {
    secure,
    originKey: `${hostname}:${port}`,
    host,
    port,
    path: parsed.pathname + parsed.search,
    hostHeader: parsed.host,
    authorization:
      credentials === undefined
        ? undefined
        : `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
  };
}

/** Targets of URLs already seen, at most maxEntries (then it starts over). */
export class SocketTargets {
  private readonly targets = new Map<string, SocketTarget>();

  constructor(private readonly maxEntries = 256) {}

  /** Throws a TypeError for a URL that is not http(s). */
  of(url: string): SocketTarget {
    let target = this.targets.get(url);
    if (target === undefined) {
      target = targetOf(url);
      if (this.targets.size >= this.maxEntries) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}
