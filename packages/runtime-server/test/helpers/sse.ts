// Reads text/event-stream answers: frames with their id, data and comment lines.
import { validateRunEvent, type RunEvent } from '@arp-ts/sdk';

export interface SseFrame {
  id?: string;
  data?: string;
  comments: string[];
}

export interface SseStreamHandle {
  status: number;
  headers: Headers;
  /** Frames as they arrive; ends when the server ends the stream. */
  frames: AsyncGenerator<SseFrame>;
  close(): void;
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else if (line.startsWith('id:')) frame.id = line.slice(3).trim();
    else if (line.startsWith('data:')) frame.data = (frame.data ?? '') + line.slice(5).trimStart();
  }
  return frame;
}

export async function openSse(
  url: string,
  options: { lastEventId?: string; token?: string } = {},
): Promise<SseStreamHandle> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(url, { headers, signal: controller.signal });
  const body = res.body;
  async function* frames(): AsyncGenerator<SseFrame> {
    if (!body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          yield parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    frames: frames(),
    close: () => controller.abort(),
  };
}

/** A frame's RunEvent, validated; throws when the data is not one. */
export function eventOf(frame: SseFrame): RunEvent {
  const checked = validateRunEvent(JSON.parse(frame.data ?? 'null'));
  if (!checked.ok) throw new Error(`not a RunEvent: ${frame.data}`);
  if (frame.id !== String(checked.value.seq)) throw new Error(`id ${frame.id} is not the seq`);
  return checked.value;
}

/** Reads a whole stream to its end; returns its RunEvents (heartbeat-only frames skipped). */
export async function readAllEvents(
  url: string,
  options: { lastEventId?: string; token?: string } = {},
): Promise<RunEvent[]> {
  const stream = await openSse(url, options);
  if (stream.status !== 200) throw new Error(`stream answered ${stream.status}`);
  const events: RunEvent[] = [];
  for await (const frame of stream.frames)
    if (frame.data !== undefined) events.push(eventOf(frame));
  return events;
}
