// The HTTP/1.x response parser: every fixture gives the same outcome fed whole, byte by byte and
// split in two at every position; malformed answers fail with a code and a message, never an
// exception.
import { describe, expect, it } from 'vitest';
import {
  HTTP_HEAD_TOO_LARGE,
  HTTP_PARSE_ERROR,
  ParseStep,
  ResponseParser,
  type ResponseParserOptions,
} from '../src/adapters/http1/response-parser.js';

interface Outcome {
  step: ParseStep;
  status?: number;
  headers?: string[];
  body?: string;
  keepAlive?: boolean;
  extraBytes?: number;
  error?: { code: string; message: string };
}

/** Feeds all pieces (past the end of the answer too), then ends the connection if told to. */
function parse(pieces: Buffer[], options: Partial<ResponseParserOptions>, end: boolean): Outcome {
  const parser = new ResponseParser({ maxBodyBytes: 1_000, ...options });
  let step: ParseStep = ParseStep.More;
  for (const piece of pieces) step = parser.feed(piece);
  if (end && step === ParseStep.More) step = parser.finish();
  switch (step) {
    case ParseStep.Complete:
      return {
        step,
        status: parser.status,
        headers: parser.headers,
        body: Buffer.concat(parser.chunks).toString('utf8'),
        keepAlive: parser.keepAlive,
        extraBytes: parser.extraBytes,
      };
    case ParseStep.TooLarge:
      return { step, status: parser.status, headers: parser.headers, keepAlive: parser.keepAlive };
    case ParseStep.Failed:
      return {
        step,
        error: { code: parser.error?.code ?? '', message: parser.error?.message ?? '' },
      };
    default:
      return { step };
  }
}

/** The answer whole, byte by byte, and in two pieces split at every position. */
function splits(raw: Buffer): Array<[string, Buffer[]]> {
  const all: Array<[string, Buffer[]]> = [['whole', [raw]]];
  all.push(['byte by byte', Array.from(raw, (_byte, i) => raw.subarray(i, i + 1))]);
  for (let at = 1; at < raw.length; at++) {
    all.push([`split at ${at}`, [raw.subarray(0, at), raw.subarray(at)]]);
  }
  return all;
}

function expectEverySplit(
  raw: Buffer,
  expected: Outcome,
  options: Partial<ResponseParserOptions> = {},
  end = false,
): void {
  for (const [label, pieces] of splits(raw)) {
    expect({ [label]: parse(pieces, options, end) }).toEqual({ [label]: expected });
  }
}

/** A head in Latin-1 (as on the wire) followed by a body in UTF-8. */
function wire(head: string, body = ''): Buffer {
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]);
}

const json = '{"text":"héllo ✓"}';
const jsonBytes = Buffer.byteLength(json);

interface Fixture {
  name: string;
  raw: Buffer;
  options?: Partial<ResponseParserOptions>;
  /** The connection ends after the bytes. */
  end?: boolean;
  expected: Outcome;
}

const complete: Fixture[] = [
  {
    name: 'Content-Length',
    raw: wire(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${jsonBytes}\r\n\r\n`,
      json,
    ),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Type', 'application/json', 'Content-Length', String(jsonBytes)],
      body: json,
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'chunked, with extensions, uppercase and zero-padded sizes and trailers',
    raw: wire(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n' +
        '5;name=value\r\nhello\r\n' +
        '006 \t; a=1;b="x y"\r\n world\r\n' +
        'A\r\n0123456789\r\n' +
        '0;last\r\nX-Checksum: abc\r\nX-Empty:\r\n\r\n',
    ),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Transfer-Encoding', 'Chunked'],
      body: 'hello world0123456789',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'chunked with a multi-byte character split across chunks',
    raw: Buffer.concat([
      wire('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\n'),
      Buffer.from('✓').subarray(0, 2),
      wire('\r\n1\r\n'),
      Buffer.from('✓').subarray(2),
      wire('\r\n0\r\n\r\n'),
    ]),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['transfer-encoding', 'chunked'],
      body: '✓',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'Content-Length: 0',
    raw: wire('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Length', '0'],
      body: '',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'no length: the body runs to the end of the connection',
    raw: wire('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n', 'until the end ✓'),
    end: true,
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Type', 'text/plain'],
      body: 'until the end ✓',
      keepAlive: false,
      extraBytes: 0,
    },
  },
  {
    name: 'interim 100 and 103 answers skipped',
    raw: wire(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n' +
        'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
    ),
    expected: {
      step: ParseStep.Complete,
      status: 201,
      headers: ['Content-Length', '2'],
      body: 'ok',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: '204 has no body',
    raw: wire('HTTP/1.1 204 No Content\r\nX-Request-Id: r1\r\n\r\n'),
    expected: {
      step: ParseStep.Complete,
      status: 204,
      headers: ['X-Request-Id', 'r1'],
      body: '',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: '304 has no body, whatever its Content-Length',
    raw: wire('HTTP/1.1 304 Not Modified\r\nContent-Length: 120\r\n\r\n'),
    expected: {
      step: ParseStep.Complete,
      status: 304,
      headers: ['Content-Length', '120'],
      body: '',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'the answer to HEAD has no body',
    raw: wire('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n'),
    options: { headRequest: true },
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Length', '5000'],
      body: '',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'HTTP/1.0: the connection is not reused',
    raw: wire('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Length', '2'],
      body: 'ok',
      keepAlive: false,
      extraBytes: 0,
    },
  },
  {
    name: 'Connection: close (among other tokens)',
    raw: wire('HTTP/1.1 503 Busy\r\nConnection: Upgrade, Close\r\nContent-Length: 2\r\n\r\nno'),
    expected: {
      step: ParseStep.Complete,
      status: 503,
      headers: ['Connection', 'Upgrade, Close', 'Content-Length', '2'],
      body: 'no',
      keepAlive: false,
      extraBytes: 0,
    },
  },
  {
    name: 'a status line without a reason, repeated equal Content-Length, OWS and obs-text',
    raw: wire(
      'HTTP/1.1 404\r\nContent-Length: 2\r\ncontent-length:2\r\nX-Name: \t caf\xe9 \t\r\n\r\nno',
    ),
    expected: {
      step: ParseStep.Complete,
      status: 404,
      headers: ['Content-Length', '2', 'content-length', '2', 'X-Name', 'caf\xe9'],
      body: 'no',
      keepAlive: true,
      extraBytes: 0,
    },
  },
  {
    name: 'bytes after the answer are counted, not taken as body',
    raw: wire('HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nokHTTP/1.1'),
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Content-Length', '2'],
      body: 'ok',
      keepAlive: true,
      extraBytes: 8,
    },
  },
  {
    name: 'a body of exactly maxBodyBytes',
    raw: wire('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n'),
    options: { maxBodyBytes: 4 },
    expected: {
      step: ParseStep.Complete,
      status: 200,
      headers: ['Transfer-Encoding', 'chunked'],
      body: 'abcd',
      keepAlive: true,
      extraBytes: 0,
    },
  },
];

describe('ResponseParser on well-formed answers', () => {
  it.each(complete.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    expectEverySplit(fixture.raw, fixture.expected, fixture.options, fixture.end);
  });

  it('waits for more while an answer is incomplete, and says so when the connection ends', () => {
    const raw = wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort');
    expectEverySplit(raw, { step: ParseStep.More });
    expectEverySplit(raw, { step: ParseStep.More }, {}, true);
    const chunked = wire('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n');
    expectEverySplit(chunked, { step: ParseStep.More }, {}, true);
    expect(parse([], {}, true)).toEqual({ step: ParseStep.More });
  });
});

interface Malformed {
  name: string;
  raw: Buffer;
  code?: string;
  message: RegExp;
  options?: Partial<ResponseParserOptions>;
}

const head = (fields: string) => wire(`HTTP/1.1 200 OK\r\n${fields}\r\n\r\n`);
const chunked = (body: string) =>
  wire(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);

const malformed: Malformed[] = [
  { name: 'HTTP/2 status line', raw: wire('HTTP/2 200 OK\r\n\r\n'), message: /status line/ },
  { name: 'two-digit status', raw: wire('HTTP/1.1 20 OK\r\n\r\n'), message: /status line/ },
  { name: 'not HTTP at all', raw: wire('ICY 200 OK\r\n\r\n'), message: /status line/ },
  { name: 'lowercase protocol', raw: wire('http/1.1 200 OK\r\n\r\n'), message: /status line/ },
  { name: 'empty status line', raw: wire('\r\n\r\n'), message: /status line/ },
  { name: 'NUL in the reason', raw: wire('HTTP/1.1 200 O\0K\r\n\r\n'), message: /status line/ },
  { name: 'bare LF line ends', raw: wire('HTTP/1.1 200 OK\nContent-Length: 0\n\n'), message: /LF/ },
  { name: 'space in a name', raw: head('Bad Name: x'), message: /header field name/ },
  { name: 'space before the colon', raw: head('Content-Length : 2'), message: /field name/ },
  { name: 'no colon', raw: head('NoColon'), message: /header field name/ },
  { name: 'empty name', raw: head(': value'), message: /header field name/ },
  { name: 'NUL in a name', raw: head('X-\0A: 1'), message: /header field name/ },
  { name: 'obs-fold', raw: head('X-A: one\r\n  two'), message: /line folding/ },
  {
    name: 'CR in a value',
    raw: head('X-A: a\rb'),
    message: /a CR in the value of header field X-A/,
  },
  { name: 'LF in a value', raw: head('X-A: a\nb'), message: /LF/ },
  { name: 'NUL in a value', raw: head('X-A: a\0b'), message: /a NUL in the value/ },
  { name: 'DEL in a value', raw: head('X-A: a\x7fb'), message: /control character \(0x7f\)/ },
  {
    name: 'conflicting Content-Length',
    raw: head('Content-Length: 5\r\nContent-Length: 6'),
    message: /conflicting Content-Length values 5 and 6/,
  },
  { name: 'Content-Length list', raw: head('Content-Length: 5, 5'), message: /Content-Length/ },
  { name: 'signed Content-Length', raw: head('Content-Length: +5'), message: /Content-Length/ },
  { name: 'hex Content-Length', raw: head('Content-Length: 0x5'), message: /Content-Length/ },
  { name: 'empty Content-Length', raw: head('Content-Length: '), message: /Content-Length/ },
  {
    name: 'huge Content-Length',
    raw: head('Content-Length: 1234567890123456789'),
    message: /Content-Length/,
  },
  {
    name: 'chunked and Content-Length',
    raw: head('Transfer-Encoding: chunked\r\nContent-Length: 5'),
    message: /both Transfer-Encoding and Content-Length/,
  },
  {
    name: 'Content-Length and chunked',
    raw: head('Content-Length: 5\r\nTransfer-Encoding: chunked'),
    message: /both Transfer-Encoding and Content-Length/,
  },
  { name: 'gzip coding', raw: head('Transfer-Encoding: gzip'), message: /unsupported/ },
  {
    name: 'chunked twice',
    raw: head('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked'),
    message: /unsupported Transfer-Encoding/,
  },
  {
    name: 'chunked in HTTP/1.0',
    raw: wire('HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'),
    message: /HTTP\/1.0/,
  },
  { name: '101 Switching Protocols', raw: wire('HTTP/1.1 101 Switching\r\n\r\n'), message: /101/ },
  { name: 'chunk size not hex', raw: chunked('zz\r\n'), message: /malformed chunk size/ },
  { name: 'chunk size missing', raw: chunked('\r\n'), message: /malformed chunk size/ },
  { name: 'chunk size signed', raw: chunked('-5\r\n'), message: /malformed chunk size/ },
  { name: 'space after size', raw: chunked('5 \r\nhello\r\n'), message: /malformed chunk size/ },
  { name: 'bare LF after size', raw: chunked('5\nhello\r\n'), message: /CRLF/ },
  { name: 'NUL in an extension', raw: chunked('5;a=\0\r\n'), message: /chunk extension/ },
  { name: 'chunk data too long', raw: chunked('5\r\nhello!\r\n'), message: /longer than its size/ },
  { name: 'no CRLF after data', raw: chunked('5\r\nhello\rX'), message: /not followed by CRLF/ },
  { name: 'chunk size too large', raw: chunked('fffffffffffff0\r\n'), message: /too large/ },
  {
    name: 'chunk-size line too long',
    raw: chunked(`1;${'x'.repeat(1100)}\r\n`),
    message: /chunk-size line longer than 1024/,
  },
  { name: 'bad trailer', raw: chunked('0\r\nBad Trailer: x\r\n\r\n'), message: /trailer field/ },
  { name: 'CR in a trailer', raw: chunked('0\r\nX-T: a\rb\r\n\r\n'), message: /trailer/ },
  { name: 'bare LF in trailers', raw: chunked('0\r\nX-T: a\n\r\n'), message: /LF/ },
  {
    name: 'a head over maxHeadBytes',
    raw: head(`X-Big: ${'x'.repeat(200)}`),
    options: { maxHeadBytes: 128 },
    code: HTTP_HEAD_TOO_LARGE,
    message: /exceed 128 bytes/,
  },
  {
    name: 'a head without end over maxHeadBytes',
    raw: wire(`HTTP/1.1 200 OK\r\n${'X-A: 1\r\n'.repeat(40)}`),
    options: { maxHeadBytes: 128 },
    code: HTTP_HEAD_TOO_LARGE,
    message: /exceed 128 bytes/,
  },
  {
    name: 'interim answers adding up past maxHeadBytes',
    raw: wire(`${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(6)}HTTP/1.1 200 OK\r\n\r\n`),
    options: { maxHeadBytes: 128 },
    code: HTTP_HEAD_TOO_LARGE,
    message: /exceed 128 bytes/,
  },
  {
    name: 'trailers over maxHeadBytes',
    raw: chunked(`0\r\n${'X-T: 1\r\n'.repeat(20)}\r\n`),
    options: { maxHeadBytes: 128 },
    code: HTTP_HEAD_TOO_LARGE,
    message: /trailer fields exceed 128 bytes/,
  },
];

describe('ResponseParser on malformed answers', () => {
  it.each(malformed.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const expected = {
      step: ParseStep.Failed,
      error: { code: m.code ?? HTTP_PARSE_ERROR, message: expect.stringMatching(m.message) },
    };
    // Some failures show only at the end of the connection (a body cut short is not one).
    expectEverySplit(m.raw, expected, m.options ?? {}, true);
  });

  it('refuses a head over the default 16 KiB', () => {
    const big = head(`X-Big: ${'x'.repeat(16 * 1024)}`);
    const pieces = Array.from({ length: Math.ceil(big.length / 1000) }, (_v, i) =>
      big.subarray(i * 1000, (i + 1) * 1000),
    );
    for (const fed of [[big], pieces]) {
      expect(parse(fed, {}, false)).toEqual({
        step: ParseStep.Failed,
        error: { code: HTTP_HEAD_TOO_LARGE, message: expect.stringMatching(/16384 bytes/) },
      });
    }
    const fits = head(`X-Big: ${'x'.repeat(16 * 1024 - 100)}\r\nContent-Length: 0`);
    expect(parse([fits], {}, false).step).toBe(ParseStep.Complete);
  });
});

describe('ResponseParser body limit', () => {
  const limited = { maxBodyBytes: 10 };
  const tooLarge = (headers: string[], keepAlive = false): Outcome => ({
    step: ParseStep.TooLarge,
    status: 200,
    headers,
    keepAlive,
  });

  it('stops at a declared Content-Length over the limit, before any body byte', () => {
    const declared = wire('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n');
    expectEverySplit(declared, tooLarge(['Content-Length', '11']), limited);
  });

  it('stops at a chunk that would cross the limit', () => {
    const raw = chunked('6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n');
    expectEverySplit(raw, tooLarge(['Transfer-Encoding', 'chunked']), limited);
  });

  it('stops a body without length once it crosses the limit', () => {
    const raw = wire('HTTP/1.1 200 OK\r\n\r\n', 'abcdefghijk');
    expectEverySplit(raw, tooLarge([]), limited, true);
    const fits = wire('HTTP/1.1 200 OK\r\n\r\n', 'abcdefghij');
    expectEverySplit(
      fits,
      {
        step: ParseStep.Complete,
        status: 200,
        headers: [],
        body: 'abcdefghij',
        keepAlive: false,
        extraBytes: 0,
      },
      limited,
      true,
    );
  });
});

describe('ResponseParser robustness', () => {
  /** A small deterministic generator, so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  it('never throws and never reaches an internal error on mutated or random input', () => {
    const next = random(42);
    const samples = [...complete.map((f) => f.raw), ...malformed.map((m) => m.raw)];
    const alphabet = Buffer.from('HTTP/1.1 200\r\n:;0123456789abcdefABCDEF \t\0\x7f\xe9chunked');
    for (let round = 0; round < 3_000; round++) {
      const base = samples[Math.floor(next() * samples.length)] as Buffer;
      const bytes = Buffer.from(base);
      const mutations = 1 + Math.floor(next() * 4);
      for (let m = 0; m < mutations; m++) {
        bytes[Math.floor(next() * bytes.length)] = alphabet[
          Math.floor(next() * alphabet.length)
        ] as number;
      }
      const input = round % 5 === 0 ? Buffer.from(Array.from(bytes, () => next() * 256)) : bytes;
      const at = Math.floor(next() * input.length);
      const parser = new ResponseParser({ maxBodyBytes: 64, maxHeadBytes: 256 });
      const feedAll = (): ParseStep => {
        parser.feed(input.subarray(0, at));
        const step = parser.feed(input.subarray(at));
        return step === ParseStep.More ? parser.finish() : step;
      };
      expect(feedAll).not.toThrow();
      const step = parser.finish();
      expect(Object.values(ParseStep)).toContain(step);
      if (step === ParseStep.Failed) {
        expect(parser.error?.message).not.toMatch(/internal/);
        expect([HTTP_PARSE_ERROR, HTTP_HEAD_TOO_LARGE]).toContain(parser.error?.code);
      }
    }
  });
});
