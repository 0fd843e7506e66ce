// An incremental, strict parser of one HTTP/1.1 (or 1.0) response, fed the bytes of a socket in
// whatever pieces they arrive. It reads what a JSON client needs (status, header fields, the
// body up to a byte limit) and tells whether the connection may carry another request. Anything
// malformed, ambiguous or unsupported is refused as llhttp's strict mode would refuse it: a lax
// parser is how responses get smuggled. It never throws: a failure is a Failed step with `error`.
import { describeBadValue, isFieldValue, isToken, listsToken } from './field-syntax.js';

/** What a call of feed() or finish() left the parser with. */
export const ParseStep = {
  /** The answer is not complete yet: feed more bytes. */
  More: 0,
  /** The answer is complete: status, headers and body are final. */
  Complete: 1,
  /** The body exceeds maxBodyBytes: reading stopped (status and headers are known). */
  TooLarge: 2,
  /** The bytes are not a valid HTTP/1.x response: see `error`. */
  Failed: 3,
} as const;
export type ParseStep = (typeof ParseStep)[keyof typeof ParseStep];

/** The answer is malformed, ambiguous or uses something this client does not speak. */
export const HTTP_PARSE_ERROR = 'ERR_HTTP_PARSE';
/** The status line and header fields (or the trailer section) exceed maxHeadBytes. */
export const HTTP_HEAD_TOO_LARGE = 'ERR_HTTP_HEAD_TOO_LARGE';

export class HttpParseError extends Error {
  override readonly name = 'HttpParseError';

  constructor(
    readonly code: typeof HTTP_PARSE_ERROR | typeof HTTP_HEAD_TOO_LARGE,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size line (size and extensions) longer than this is refused. */
const MAX_CHUNK_LINE_BYTES = 1024;
/** Chunk sizes past this are nonsense (and would lose precision as numbers). */
const MAX_CHUNK_SIZE = 2 ** 48;

export interface ResponseParserOptions {
  /** Body bytes read at most; past them the step is TooLarge. */
  maxBodyBytes: number;
  /** Bytes of status line and header fields, interim answers included (default 16 KiB). */
  maxHeadBytes?: number;
  /** The request was HEAD: the answer has no body whatever its header fields say. */
  headRequest?: boolean;
}

const enum State {
  Head,
  BodyLength,
  BodyUntilClose,
  ChunkSize,
  ChunkSizeSpace,
  ChunkExtension,
  ChunkSizeLf,
  ChunkData,
  ChunkDataCr,
  ChunkDataLf,
  Trailer,
  TrailerLf,
  Done,
  TooLarge,
  Failed,
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;

/** `HTTP/1.x NNN reason`; the reason (and the space before it) may be missing. */
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [\t\x20-\x7e\x80-\xff]*)?$/;
const DIGITS = /^\d{1,15}$/;
const BARE_LF = 'a bare LF in the head (lines must end with CRLF)';
const CHUNK_LINE_END = 'a chunk-size line not ended by CRLF';

/** Where "\r\n\r\n" matching stands after one more byte (0..3 bytes matched, 4 = found). */
function headEndStep(matched: number, byte: number): number {
  if (byte === CR) return matched === 2 ? 3 : 1;
  if (byte === LF) return matched === 1 ? 2 : matched === 3 ? 4 : 0;
  return 0;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function isControl(byte: number): boolean {
  return (byte < SP && byte !== HTAB) || byte === 0x7f;
}

export class ResponseParser {
  /** Status code of the final answer (interim 1xx answers are skipped). */
  status = 0;
  /** Header fields of the final answer as received: name, value, name, value, ... */
  headers: string[] = [];
  /** The body as received (views of the fed Buffers, not copies). */
  readonly chunks: Buffer[] = [];
  bodyBytes = 0;
  /** The server lets the connection carry another request (HTTP/1.1, no Connection: close). */
  keepAlive = true;
  /** Bytes received after the end of the answer: the connection is out of step. */
  extraBytes = 0;
  error: HttpParseError | undefined;

  private state = State.Head;
  private readonly maxBodyBytes: number;
  private readonly maxHeadBytes: number;
  private readonly headRequest: boolean;
  /** Head bytes seen so far, of all heads (interim ones too) or of the trailer section. */
  private headBytes = 0;
  /** Pieces of a head split across feeds, and how much of "\r\n\r\n" their end matched. */
  private headParts: Buffer[] = [];
  private headMatched = 0;
  /** Bytes of body (BodyLength) or of chunk data (ChunkData) still to come. */
  private remaining = 0;
  private chunkSize = 0;
  private chunkLineBytes = 0;
  private trailerLine = '';

  constructor(options: ResponseParserOptions) {
    this.maxBodyBytes = options.maxBodyBytes;
    this.maxHeadBytes = options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
    this.headRequest = options.headRequest === true;
  }

  /** Reads the next bytes of the connection. */
  feed(data: Buffer): ParseStep {
    try {
      return this.read(data);
    } catch (err) {
      // Not reached by any input we know of; a parser bug must not crash the socket's owner.
      return this.fail(`internal parser error: ${err instanceof Error ? err.message : 'unknown'}`);
    }
  }

  /** The connection ended: Complete for a body delimited by the close, else More (cut short). */
  finish(): ParseStep {
    if (this.state === State.BodyUntilClose) this.state = State.Done;
    return this.step();
  }

  private step(): ParseStep {
    switch (this.state) {
      case State.Done:
        return ParseStep.Complete;
      case State.TooLarge:
        return ParseStep.TooLarge;
      case State.Failed:
        return ParseStep.Failed;
      default:
        return ParseStep.More;
    }
  }

  private fail(message: string, code: HttpParseError['code'] = HTTP_PARSE_ERROR): ParseStep {
    this.state = State.Failed;
    this.error = new HttpParseError(code, message);
    this.keepAlive = false;
    return ParseStep.Failed;
  }

  private tooLarge(): ParseStep {
    this.state = State.TooLarge;
    this.keepAlive = false;
    return ParseStep.TooLarge;
  }

  private read(data: Buffer): ParseStep {
    const length = data.length;
    let at = 0;
    while (at < length) {
      switch (this.state) {
        case State.Head:
          at = this.readHead(data, at);
          break;
        case State.BodyLength:
          at = this.readCounted(data, at, State.Done);
          break;
        case State.BodyUntilClose:
          this.addBody(data, at, length - at);
          at = length;
          if (this.bodyBytes > this.maxBodyBytes) return this.tooLarge();
          break;
        case State.ChunkData:
          at = this.readCounted(data, at, State.ChunkDataCr);
          break;
        case State.Done:
          this.extraBytes += length - at;
          return ParseStep.Complete;
        case State.TooLarge:
        case State.Failed:
          return this.step();
        default:
          // Chunk framing and trailers: one byte at a time.
          this.readFramingByte(data[at] as number);
          at++;
      }
      if (this.halted()) return this.step();
    }
    return this.step();
  }

  private halted(): boolean {
    return this.state === State.Failed || this.state === State.TooLarge;
  }

  /** Body bytes of a known count (Content-Length, one chunk); `then` once all have come. */
  private readCounted(data: Buffer, at: number, then: State): number {
    const take = Math.min(this.remaining, data.length - at);
    this.addBody(data, at, take);
    this.remaining -= take;
    if (this.remaining === 0) this.state = then;
    return at + take;
  }

  private addBody(data: Buffer, at: number, take: number): void {
    if (take === 0) return;
    this.chunks.push(at === 0 && take === data.length ? data : data.subarray(at, at + take));
    this.bodyBytes += take;
  }

  /** Consumes head bytes from `at`; answers where the bytes after them start. */
  private readHead(data: Buffer, at: number): number {
    let end = -1;
    let matched = this.headMatched;
    // A "\r\n\r\n" begun in an earlier piece ends within this one's first three bytes.
    for (let i = at; matched > 0 && i < data.length && i < at + 3; i++) {
      matched = headEndStep(matched, data[i] as number);
      if (matched === 4) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      const found = data.indexOf('\r\n\r\n', at, 'latin1');
      if (found >= 0) end = found + 4;
    }
    if (end < 0) {
      this.headBytes += data.length - at;
      if (this.headBytes > this.maxHeadBytes) return this.headTooLarge(data);
      // Lines must end in CRLF: a head with bare LFs would never end, so refuse it now.
      if (this.hasBareLf(data, at)) {
        this.fail(BARE_LF);
        return data.length;
      }
      this.headParts.push(at === 0 ? data : data.subarray(at));
      // How much of the terminator the head's end matches: three bytes tell, fewer continue
      // from where the earlier pieces left it.
      const tail = data.length - at >= 3 ? data.length - 3 : at;
      matched = tail === at ? this.headMatched : 0;
      for (let i = tail; i < data.length; i++) matched = headEndStep(matched, data[i] as number);
      this.headMatched = matched;
      return data.length;
    }
    this.headBytes += end - at;
    if (this.headBytes > this.maxHeadBytes) return this.headTooLarge(data);
    let head: string;
    if (this.headParts.length === 0) {
      head = data.toString('latin1', at, end - 4);
    } else {
      this.headParts.push(data.subarray(at, end));
      const whole = Buffer.concat(this.headParts);
      head = whole.toString('latin1', 0, whole.length - 4);
      this.headParts = [];
    }
    this.headMatched = 0;
    this.onHead(head);
    return end;
  }

  /** An LF in data[at..] not preceded by CR (the byte before `at` is the last head byte). */
  private hasBareLf(data: Buffer, at: number): boolean {
    for (let lf = data.indexOf(LF, at); lf >= 0; lf = data.indexOf(LF, lf + 1)) {
      const before = lf > at ? data[lf - 1] : this.lastHeadByte();
      if (before !== CR) return true;
    }
    return false;
  }

  private lastHeadByte(): number | undefined {
    const last = this.headParts[this.headParts.length - 1];
    return last === undefined ? undefined : last[last.length - 1];
  }

  private headTooLarge(data: Buffer): number {
    this.fail(
      `the answer's status line and header fields exceed ${this.maxHeadBytes} bytes`,
      HTTP_HEAD_TOO_LARGE,
    );
    return data.length;
  }

  /** A complete head, without its final CRLF CRLF: decides how the body is delimited. */
  private onHead(head: string): void {
    const lines = head.split('\r\n');
    for (const line of lines) {
      if (line.includes('\n')) {
        this.fail(BARE_LF);
        return;
      }
    }
    const statusLine = STATUS_LINE.exec(lines[0] as string);
    if (statusLine === null) {
      this.fail(`malformed status line ${JSON.stringify((lines[0] as string).slice(0, 64))}`);
      return;
    }
    const http10 = statusLine[1] === '0';
    const status = Number(statusLine[2]);
    const headers: string[] = [];
    let contentLength = -1;
    let transferEncoding: string | undefined;
    let connectionClose = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      const first = line.charCodeAt(0);
      if (first === SP || first === HTAB) {
        this.fail('obsolete line folding in a header field');
        return;
      }
      const name = colon < 0 ? line : line.slice(0, colon);
      if (colon <= 0 || !isToken(name)) {
        this.fail(`malformed header field name ${JSON.stringify(name.slice(0, 64))}`);
        return;
      }
      let start = colon + 1;
      let stop = line.length;
      while (start < stop && (line.charCodeAt(start) === SP || line.charCodeAt(start) === HTAB))
        start++;
      while (
        stop > start &&
        (line.charCodeAt(stop - 1) === SP || line.charCodeAt(stop - 1) === HTAB)
      )
        stop--;
      const value = line.slice(start, stop);
      if (!isFieldValue(value)) {
        this.fail(`${describeBadValue(value)} in the value of header field ${name}`);
        return;
      }
      headers.push(name, value);
      // Only the fields that frame the message or the connection matter here.
      if (name.length === 14 && name.toLowerCase() === 'content-length') {
        if (!DIGITS.test(value)) {
          this.fail(`malformed Content-Length ${JSON.stringify(value.slice(0, 32))}`);
          return;
        }
        const declared = Number(value);
        if (contentLength >= 0 && declared !== contentLength) {
          this.fail(`conflicting Content-Length values ${contentLength} and ${declared}`);
          return;
        }
        contentLength = declared;
      } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
      } else if (name.length === 10 && name.toLowerCase() === 'connection') {
        if (listsToken(value, 'close')) connectionClose = true;
      }
    }

    if (status < 200) {
      if (status === 101) {
        this.fail('101 Switching Protocols, which was not asked for');
        return;
      }
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      return;
    }
    this.status = status;
    this.headers = headers;
    if (http10 || connectionClose) this.keepAlive = false;
    if (transferEncoding !== undefined) {
      if (contentLength >= 0) {
        this.fail('both Transfer-Encoding and Content-Length (ambiguous length)');
        return;
      }
      if (http10) {
        this.fail('Transfer-Encoding in an HTTP/1.0 answer');
        return;
      }
      if (transferEncoding.trim().toLowerCase() !== 'chunked') {
        this.fail(`unsupported Transfer-Encoding ${JSON.stringify(transferEncoding.slice(0, 64))}`);
        return;
      }
    }
    if (this.headRequest || status === 204 || status === 304) {
      this.state = State.Done;
    } else if (transferEncoding !== undefined) {
      this.state = State.ChunkSize;
      this.chunkSize = -1;
      this.chunkLineBytes = 0;
    } else if (contentLength > this.maxBodyBytes) {
      this.tooLarge();
    } else if (contentLength === 0) {
      this.state = State.Done;
    } else if (contentLength > 0) {
      this.state = State.BodyLength;
      this.remaining = contentLength;
    } else {
      // No length at all: the body ends with the connection, which cannot carry another request.
      this.state = State.BodyUntilClose;
      this.keepAlive = false;
    }
  }

  /** One byte of chunked framing: a chunk-size line, the CRLF after data, or the trailers. */
  private readFramingByte(byte: number): void {
    switch (this.state) {
      case State.ChunkSize: {
        if (++this.chunkLineBytes > MAX_CHUNK_LINE_BYTES) {
          this.fail(`a chunk-size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
          return;
        }
        const digit = hexValue(byte);
        if (digit >= 0) {
          this.chunkSize = (this.chunkSize < 0 ? 0 : this.chunkSize * 16) + digit;
          if (this.chunkSize > MAX_CHUNK_SIZE) this.fail('chunk size too large');
          return;
        }
        if (this.chunkSize < 0) {
          this.fail('malformed chunk size');
          return;
        }
        if (byte === CR) this.state = State.ChunkSizeLf;
        else if (byte === LF) this.fail(CHUNK_LINE_END);
        else if (byte === 0x3b /* ; */) this.state = State.ChunkExtension;
        else if (byte === SP || byte === HTAB) this.state = State.ChunkSizeSpace;
        else this.fail('malformed chunk size');
        return;
      }
      case State.ChunkSizeSpace:
        // Whitespace after the size may only come before an extension.
        if (++this.chunkLineBytes > MAX_CHUNK_LINE_BYTES) {
          this.fail(`a chunk-size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
        } else if (byte === 0x3b) this.state = State.ChunkExtension;
        else if (byte !== SP && byte !== HTAB) this.fail('malformed chunk size');
        return;
      case State.ChunkExtension:
        // Extensions are read past, not interpreted; they still must be clean text.
        if (++this.chunkLineBytes > MAX_CHUNK_LINE_BYTES) {
          this.fail(`a chunk-size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
        } else if (byte === CR) this.state = State.ChunkSizeLf;
        else if (byte === LF) this.fail(CHUNK_LINE_END);
        else if (isControl(byte)) this.fail('a control character in a chunk extension');
        return;
      case State.ChunkSizeLf:
        if (byte !== LF) {
          this.fail(CHUNK_LINE_END);
          return;
        }
        this.onChunkSize();
        return;
      case State.ChunkDataCr:
        if (byte === CR) this.state = State.ChunkDataLf;
        else this.fail('chunk data longer than its size');
        return;
      case State.ChunkDataLf:
        if (byte !== LF) {
          this.fail('chunk data not followed by CRLF');
          return;
        }
        this.state = State.ChunkSize;
        this.chunkSize = -1;
        this.chunkLineBytes = 0;
        return;
      case State.Trailer:
      case State.TrailerLf:
        this.readTrailerByte(byte);
        return;
      default:
        this.fail('internal parser error: unexpected state');
    }
  }

  private onChunkSize(): void {
    const size = this.chunkSize;
    if (size === 0) {
      this.state = State.Trailer;
      this.headBytes = 0;
      this.trailerLine = '';
    } else if (this.bodyBytes + size > this.maxBodyBytes) {
      this.tooLarge();
    } else {
      this.state = State.ChunkData;
      this.remaining = size;
    }
  }

  /** The trailer section: header field lines up to an empty line, checked and dropped. */
  private readTrailerByte(byte: number): void {
    if (++this.headBytes > this.maxHeadBytes) {
      this.fail(`trailer fields exceed ${this.maxHeadBytes} bytes`, HTTP_HEAD_TOO_LARGE);
      return;
    }
    if (this.state === State.TrailerLf) {
      if (byte !== LF) {
        this.fail('a bare CR in the trailer section');
        return;
      }
      const line = this.trailerLine;
      this.trailerLine = '';
      this.state = State.Trailer;
      if (line === '') {
        this.state = State.Done;
        return;
      }
      const colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.slice(0, colon))) {
        this.fail(`malformed trailer field ${JSON.stringify(line.slice(0, 64))}`);
      } else if (!isFieldValue(line.slice(colon + 1))) {
        this.fail(`${describeBadValue(line.slice(colon + 1))} in a trailer field`);
      }
      return;
    }
    if (byte === CR) this.state = State.TrailerLf;
    else if (byte === LF) this.fail('a bare LF in the trailer section');
    else this.trailerLine += String.fromCharCode(byte);
  }
}
