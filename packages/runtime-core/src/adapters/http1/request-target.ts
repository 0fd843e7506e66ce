// Where a request goes: the socket's origin, the request line's path and the Host header, parsed
// from the URL once (the transport keeps them per URL in a UrlMemo).
import { httpUrl } from '../url-memo.js';
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

/** Parses an http(s) URL into a SocketTarget; a TypeError for any other scheme. */
export function socketTargetOf(url: string): SocketTarget {
  const parsed = httpUrl(url);
  const secure = parsed.protocol === 'https:';
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
