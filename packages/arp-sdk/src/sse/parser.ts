// An incremental parser of text/event-stream, following the WHATWG HTML "event stream
// interpretation" rules. It is pure: text goes in (in chunks split anywhere), messages come out.

/** One dispatched server-sent event. */
export interface SseMessage {
  /** The `event:` field, or `message` when the event named none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen on the stream so far (it carries over between events). */
  id: string;
}

export interface SseParserOptions {
  /** Longest line, or longest data of one event, in characters. Default 4 Mi. */
  maxEventChars?: number;
}

export class SseParseError extends Error {
  override readonly name = 'SseParseError';
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

export const DEFAULT_MAX_EVENT_CHARS = 4 * 1024 * 1024;

export class SseParser {
  /** The id of the last event that set one; sent back as Last-Event-ID on reconnection. */
  lastEventId = '';
  /** The reconnection delay the server asked for with `retry:`, in milliseconds. */
  retryMs: number | undefined;
  /** Comment lines seen (heartbeats are comments). */
  comments = 0;

  private readonly maxEventChars: number;
  private pending = '';
  private data = '';
  private eventType = '';
  private started = false;
  private afterCR = false;

  constructor(options: SseParserOptions = {}) {
    this.maxEventChars = options.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
  }

  /** Feeds the next piece of the stream; answers the events it completed. */
  push(chunk: string): SseMessage[] {
    if (chunk.length === 0) return [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    // A CR that ended the previous chunk already ended its line; an LF right after it is part
    // of the same CRLF, not an empty line.
    if (this.afterCR) {
      this.afterCR = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    const buffer = this.pending + text;
    let lineStart = 0;
    for (let i = this.pending.length; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      this.processLine(buffer.slice(lineStart, i), out);
      if (c === CR) {
        if (i + 1 === buffer.length) this.afterCR = true;
        else if (buffer.charCodeAt(i + 1) === LF) i++;
      }
      lineStart = i + 1;
    }
    this.pending = buffer.slice(lineStart);
    if (this.pending.length > this.maxEventChars) {
      throw new SseParseError(`event stream line longer than ${this.maxEventChars} characters`);
    }
    return out;
  }

  /**
   * Ends the stream. An event not closed by a blank line is discarded, as the standard says,
   * so a stream cut mid-event never yields half an event.
   */
  end(): void {
    this.pending = '';
    this.data = '';
    this.eventType = '';
    this.afterCR = false;
  }

  private processLine(line: string, out: SseMessage[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' */) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data += `${value}\n`;
        if (this.data.length > this.maxEventChars) {
          throw new SseParseError(`event data longer than ${this.maxEventChars} characters`);
        }
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  private dispatch(out: SseMessage[]): void {
    if (this.data.length === 0) {
      this.eventType = '';
      return;
    }
    out.push({
      event: this.eventType || 'message',
      data: this.data.endsWith('\n') ? this.data.slice(0, -1) : this.data,
      id: this.lastEventId,
    });
    this.data = '';
    this.eventType = '';
  }
}

/** Parses a whole event stream at once. */
export function parseSse(text: string, options?: SseParserOptions): SseMessage[] {
  const parser = new SseParser(options);
  const messages = parser.push(text);
  parser.end();
  return messages;
}
