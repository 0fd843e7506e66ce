import { describe, expect, it } from 'vitest';
import { SseParseError, SseParser, parseSse, type SseMessage } from '@arp-ts/sdk';

/** Feeds `text` cut at every given offset, collecting what the parser completes. */
function feed(text: string, cuts: number[]): SseMessage[] {
  const parser = new SseParser();
  const out: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  parser.end();
  return out;
}

/** Every way of cutting `text` into two and three pieces gives the same messages. */
function expectChunkingInvariant(text: string, expected: SseMessage[]): void {
  for (let i = 0; i <= text.length; i++) {
    expect(feed(text, [i]), `cut at ${i}`).toEqual(expected);
    for (let j = i; j <= text.length; j += 3) {
      expect(feed(text, [i, j]), `cuts at ${i},${j}`).toEqual(expected);
    }
  }
}

describe('SseParser', () => {
  it('parses data, id and event fields', () => {
    expect(parseSse('id: 1\nevent: step\ndata: {"a":1}\n\n')).toEqual([
      { event: 'step', data: '{"a":1}', id: '1' },
    ]);
  });

  it('uses "message" when no event name is given', () => {
    expect(parseSse('data: x\n\n')).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });

  it('joins multi-line data with newlines', () => {
    expect(parseSse('data: {\ndata:  "a": 1\ndata: }\n\n')).toEqual([
      { event: 'message', data: '{\n "a": 1\n}', id: '' },
    ]);
  });

  it('accepts LF, CRLF and CR line ends, mixed', () => {
    const expected = [
      { event: 'message', data: 'one', id: '1' },
      { event: 'message', data: 'two', id: '2' },
      { event: 'message', data: 'three', id: '3' },
    ];
    expect(
      parseSse('id: 1\ndata: one\n\nid: 2\r\ndata: two\r\n\r\nid: 3\rdata: three\r\r'),
    ).toEqual(expected);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const text =
      '\uFEFF: hello\r\nid: 7\r\nevent: token\r\ndata: {"t":"a\\nb"}\r\n\r\n' +
      ':heartbeat\r\rdata: x\rdata: y\r\rretry: 1500\n' +
      'data: last\n\n';
    expectChunkingInvariant(text, [
      { event: 'token', data: '{"t":"a\\nb"}', id: '7' },
      { event: 'message', data: 'x\ny', id: '7' },
      { event: 'message', data: 'last', id: '7' },
    ]);
  });

  it('does not take the LF of a CRLF split across chunks for an empty line', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\ndata: b\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ event: 'message', data: 'a\nb', id: '' }]);
  });

  it('skips comments and heartbeats, counting them', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\n:\n\ndata: x\n\n')).toEqual([
      { event: 'message', data: 'x', id: '' },
    ]);
    expect(parser.comments).toBe(2);
  });

  it('keeps the last id across events and ignores ids with NUL', () => {
    expect(parseSse('id: 5\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n')).toEqual([
      { event: 'message', data: 'a', id: '5' },
      { event: 'message', data: 'b', id: '5' },
      { event: 'message', data: 'c', id: '5' },
      { event: 'message', data: 'd', id: '' },
    ]);
  });

  it('reads retry only when it is all digits', () => {
    const parser = new SseParser();
    parser.push('retry: 2500\n\nretry: 1s\n\n');
    expect(parser.retryMs).toBe(2500);
  });

  it('drops a final event without its blank line', () => {
    expect(parseSse('data: complete\n\ndata: cut')).toEqual([
      { event: 'message', data: 'complete', id: '' },
    ]);
    expect(parseSse('data: complete\n\ndata: cut\n')).toHaveLength(1);
  });

  it('strips exactly one leading space of a value and handles fields without a colon', () => {
    expect(parseSse('data:  two\ndata\ndata:none\n\n')).toEqual([
      { event: 'message', data: ' two\n\nnone', id: '' },
    ]);
  });

  it('dispatches nothing for an event without data, and resets its name', () => {
    expect(parseSse('event: ping\n\ndata: x\n\n')).toEqual([
      { event: 'message', data: 'x', id: '' },
    ]);
  });

  it('strips a BOM only at the very start', () => {
    expect(parseSse('\uFEFFdata: a\n\n')).toEqual([{ event: 'message', data: 'a', id: '' }]);
    const parser = new SseParser();
    parser.push('data: a\n\n');
    expect(parser.push('\uFEFFdata: b\n\n')).toEqual([]);
  });

  it('ignores unknown fields', () => {
    expect(parseSse('foo: bar\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });

  it('refuses a line or an event beyond its size limit', () => {
    const parser = new SseParser({ maxEventChars: 10 });
    expect(() => parser.push('data: 0123456789abc')).toThrow(SseParseError);
    const multi = new SseParser({ maxEventChars: 10 });
    expect(() => multi.push('data: 12345\ndata: 67890\n')).toThrow(SseParseError);
  });
});
