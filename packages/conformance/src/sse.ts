// A minimal server-sent events parser (the text/event-stream format of the HTML standard):
// fields `data`, `id`, `event`, comment lines, CR/LF/CRLF line ends, multi-line data. It keeps
// every message's raw `id:` so the kit can compare it with the RunEvent's seq.

export interface SseMessage {
  /** The `id:` of this message, when it had one. */
  id?: string;
  event: string;
  data: string;
}

/** Upper bound on one message's data, so a hostile stream cannot grow memory without end. */
export const MAX_SSE_MESSAGE_CHARS = 1024 * 1024;

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private dataChars = 0;
  private eventType = '';
  private id: string | undefined;
  private sawField = false;
  /** A CR at the end of a chunk may be the first half of a CRLF. */
  private pendingCr = false;

  /** Feeds decoded text; returns the messages completed by it. */
  push(text: string): SseMessage[] {
    let input = text;
    if (this.pendingCr && input.startsWith('\n')) input = input.slice(1);
    this.pendingCr = false;
    this.buffer += input;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      if (match[0] === '\r' && match.index === this.buffer.length - 1) {
        this.pendingCr = true;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    if (this.buffer.length > MAX_SSE_MESSAGE_CHARS) {
      throw new Error(`an event-stream line is longer than ${MAX_SSE_MESSAGE_CHARS} characters`);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment / heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataChars += value.length;
        if (this.dataChars > MAX_SSE_MESSAGE_CHARS) {
          throw new Error(`an event's data is longer than ${MAX_SSE_MESSAGE_CHARS} characters`);
        }
        this.data.push(value);
        this.sawField = true;
        break;
      case 'event':
        this.eventType = value;
        this.sawField = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        this.sawField = true;
        break;
      default:
        break; // `retry` and unknown fields do not matter to the kit
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const hadData = this.data.length > 0;
    const message: SseMessage = {
      ...(this.id !== undefined ? { id: this.id } : {}),
      event: this.eventType || 'message',
      data: this.data.join('\n'),
    };
    // Unlike a browser's lastEventId, the kit wants each message's own id, so it is reset here.
    this.id = undefined;
    this.data = [];
    this.dataChars = 0;
    this.eventType = '';
    const sawField = this.sawField;
    this.sawField = false;
    // The standard dispatches only messages with data; an id-only block just moves the last id.
    return hadData && sawField ? message : undefined;
  }
}
