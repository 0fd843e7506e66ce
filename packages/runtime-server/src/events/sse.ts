// Writes a text/event-stream: `id: <seq>` and one RunEvent JSON per `data:` line, comment lines
// as heartbeats while idle. A client that stops reading is cut off once too much is buffered
// for it; it can resume with Last-Event-ID.
import type { Request, Response } from 'express';
import type { RunEvent } from '@arp-ts/sdk';
import type { EventFollower } from './event-hub.js';

export interface SseOptions {
  heartbeatMs: number;
  /** Bytes buffered for a slow client before its stream is dropped. */
  maxBufferedBytes: number;
}

export interface SseStream extends EventFollower {
  /** Called once when the stream is over, whoever ended it. */
  onClose(listener: () => void): void;
}

export function openSseStream(req: Request, res: Response, options: SseOptions): SseStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket.setNoDelay(true);

  let closed = false;
  const listeners: Array<() => void> = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners) listener();
  };
  const write = (chunk: string): void => {
    if (closed) return;
    if (res.writableLength > options.maxBufferedBytes) {
      res.destroy();
      finish();
      return;
    }
    res.write(chunk);
  };
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();
  res.on('close', finish);

  return {
    send(event: RunEvent): void {
      write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    end(): void {
      if (closed) return;
      res.end();
      finish();
    },
    onClose(listener: () => void): void {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}

/** The seq to resume after: the Last-Event-ID header, when it is a non-negative integer. */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
