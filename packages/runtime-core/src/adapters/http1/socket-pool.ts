// Keep-alive TCP sockets per origin for the HTTP/1.1 transport: at most maxSockets open per
// origin, idle ones reused last-in first-out (the warmest socket, and the cold ones age out),
// callers past the limit queued first-in first-out. Idle sockets are unref'd and closed after
// idleTimeoutMs, below the 5 s keepAliveTimeout of Node servers, so a server rarely closes one
// under us and the pool never keeps a process alive. The pool knows nothing of HTTP: its user
// says when a socket may be reused (release) or must go (discard).
import net from 'node:net';

/** Who a socket is lent to: it gets the socket, then that socket's events until it gives it up. */
export interface SocketUser {
  /** The socket to use; `reused` when it has carried an exchange before. */
  onSocket(socket: PooledSocket, reused: boolean): void;
  onData(chunk: Buffer): void;
  /** The server ended the connection, or it closed. */
  onEnd(): void;
  onError(err: Error): void;
}

/** Where sockets go: `key` names the origin (host:port). */
export interface OriginAddress {
  readonly originKey: string;
  readonly host: string;
  readonly port: number;
}

export interface SocketPoolOptions {
  /** Open sockets per origin, busy and idle (default 256). */
  maxSockets?: number;
  /** An idle socket is closed after this many ms (default 4000; 0: closed as soon as idle). */
  idleTimeoutMs?: number;
}

export const DEFAULT_MAX_SOCKETS = 256;
export const DEFAULT_IDLE_TIMEOUT_MS = 4_000;

/** Code of the error a caller gets when the pool is closed under it. */
export const SOCKET_POOL_CLOSED = 'ERR_SOCKET_POOL_CLOSED';

function poolClosed(): Error {
  return Object.assign(new Error('the socket pool is closed'), { code: SOCKET_POOL_CLOSED });
}

class OriginSockets {
  readonly idle: PooledSocket[] = [];
  readonly waiting: SocketUser[] = [];
  readonly all = new Set<PooledSocket>();

  constructor(
    readonly key: string,
    readonly host: string,
    readonly port: number,
  ) {}
}

function onIdleTimer(pooled: PooledSocket): void {
  pooled.idleTimerFired();
}

export class PooledSocket {
  /** Who uses the socket now; undefined while it is idle. */
  user: SocketUser | undefined;
  /** Discarded: destroyed, and no longer counted. */
  gone = false;
  private idleSince = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: net.Socket,
    readonly origin: OriginSockets,
    private readonly pool: SocketPool,
  ) {
    // Listeners are attached once per socket and pass events to the current user: an exchange
    // adds and removes none of its own.
    socket.on('data', (chunk: Buffer) => {
      if (this.user !== undefined) this.user.onData(chunk);
      else pool.discard(this); // bytes nobody asked for: the connection is out of step
    });
    socket.on('end', () => {
      if (this.user !== undefined) this.user.onEnd();
      else pool.discard(this);
    });
    socket.on('error', (err) => {
      if (this.user !== undefined) this.user.onError(err);
      else pool.discard(this);
    });
    socket.on('close', () => {
      if (this.user !== undefined) this.user.onEnd();
      pool.discard(this);
    });
  }

  /** Starts (or keeps) the idle clock; one timer per socket, re-armed only when it fires. */
  markIdle(idleTimeoutMs: number): void {
    this.idleSince = performance.now();
    if (this.idleTimer === undefined) {
      this.idleTimer = setTimeout(onIdleTimer, idleTimeoutMs, this).unref();
    }
  }

  idleTimerFired(): void {
    this.idleTimer = undefined;
    if (this.gone || this.user !== undefined) return; // busy: release() arms it again
    const left = this.idleSince + this.pool.idleTimeoutMs - performance.now();
    // Timers count from the event loop's cached time, a little before idleSince: within 1 ms
    // is due.
    if (left < 1) this.pool.discard(this);
    else this.idleTimer = setTimeout(onIdleTimer, left, this).unref();
  }

  stopIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

export class SocketPool {
  readonly maxSockets: number;
  readonly idleTimeoutMs: number;
  private readonly origins = new Map<string, OriginSockets>();
  private closed = false;

  constructor(options: SocketPoolOptions = {}) {
    const { maxSockets = DEFAULT_MAX_SOCKETS, idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS } = options;
    if (!Number.isInteger(maxSockets) || maxSockets < 1) {
      throw new RangeError(`maxSockets must be a positive integer, got ${maxSockets}`);
    }
    if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs < 0) {
      throw new RangeError(`idleTimeoutMs must be a finite number >= 0, got ${idleTimeoutMs}`);
    }
    this.maxSockets = maxSockets;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Lends `user` a socket: the last idle one, a new one, or the next free one (queued). */
  acquire(address: OriginAddress, user: SocketUser): void {
    if (this.closed) {
      user.onError(poolClosed());
      return;
    }
    let origin = this.origins.get(address.originKey);
    if (origin === undefined) {
      origin = new OriginSockets(address.originKey, address.host, address.port);
      this.origins.set(origin.key, origin);
    }
    const idle = origin.idle.pop();
    if (idle !== undefined) {
      idle.socket.ref();
      this.lend(idle, user, true);
    } else if (origin.all.size < this.maxSockets) {
      this.open(origin, user);
    } else {
      origin.waiting.push(user);
    }
  }

  /** Takes a user that no longer wants a socket out of the queue (timeout, abort). */
  cancelWait(address: OriginAddress, user: SocketUser): void {
    const origin = this.origins.get(address.originKey);
    if (origin === undefined) return;
    const at = origin.waiting.indexOf(user);
    if (at >= 0) origin.waiting.splice(at, 1);
  }

  /** The user is done and the connection is clean: the socket goes to the next caller or idles. */
  release(pooled: PooledSocket): void {
    pooled.user = undefined;
    if (this.closed || pooled.gone || pooled.socket.destroyed || this.idleTimeoutMs === 0) {
      this.discard(pooled);
      return;
    }
    const next = pooled.origin.waiting.shift();
    if (next !== undefined) {
      this.lend(pooled, next, true);
      return;
    }
    pooled.socket.unref();
    pooled.markIdle(this.idleTimeoutMs);
    pooled.origin.idle.push(pooled);
  }

  /** Destroys the socket and frees its place, for a queued caller if there is one. */
  discard(pooled: PooledSocket): void {
    if (pooled.gone) return;
    this.forget(pooled);
    const { origin } = pooled;
    const next = origin.waiting.shift();
    if (next !== undefined) this.open(origin, next);
    else if (origin.all.size === 0) this.origins.delete(origin.key);
  }

  /** Destroys the user's socket and lends it a new connection in the same place (a retry). */
  renew(pooled: PooledSocket, user: SocketUser): void {
    this.forget(pooled);
    if (this.closed) user.onError(poolClosed());
    else this.open(pooled.origin, user);
  }

  /** Destroys every socket; callers still using or waiting for one get ERR_SOCKET_POOL_CLOSED. */
  close(): void {
    this.closed = true;
    for (const origin of this.origins.values()) {
      for (const user of origin.waiting.splice(0)) user.onError(poolClosed());
      for (const pooled of [...origin.all]) {
        const { user } = pooled;
        this.forget(pooled);
        user?.onError(poolClosed());
      }
    }
    this.origins.clear();
  }

  /** Open sockets of an origin, busy and idle (tests, diagnostics). */
  openSockets(originKey: string): number {
    return this.origins.get(originKey)?.all.size ?? 0;
  }

  private forget(pooled: PooledSocket): void {
    pooled.gone = true;
    pooled.user = undefined;
    pooled.stopIdleTimer();
    pooled.socket.destroy();
    const { origin } = pooled;
    origin.all.delete(pooled);
    const at = origin.idle.lastIndexOf(pooled);
    if (at >= 0) origin.idle.splice(at, 1);
  }

  private open(origin: OriginSockets, user: SocketUser): void {
    let socket: net.Socket;
    try {
      socket = net.connect({ host: origin.host, port: origin.port, noDelay: true });
    } catch (err) {
      // Only arguments net refuses outright (e.g. a port out of range) get here.
      user.onError(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const pooled = new PooledSocket(socket, origin, this);
    origin.all.add(pooled);
    this.lend(pooled, user, false);
  }

  private lend(pooled: PooledSocket, user: SocketUser, reused: boolean): void {
    pooled.user = user;
    user.onSocket(pooled, reused);
  }
}
