import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/sse.js';

describe('SseParser', () => {
  it('parses ids, multi-line data, event names and skips comments', () => {
    const parser = new SseParser();
    const messages = parser.push(
      ': heartbeat\n\nid: 0\ndata: {"a":1}\n\nevent: custom\ndata: line1\ndata: line2\n\n',
    );
    expect(messages).toEqual([
      { id: '0', event: 'message', data: '{"a":1}' },
      { event: 'custom', data: 'line1\nline2' },
    ]);
  });

  it('handles CRLF and CR line ends, and a CRLF split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\r\ndata: x\r')).toEqual([]);
    expect(parser.push('\n\r\nid: 2\rdata: y\r\r')).toEqual([
      { id: '1', event: 'message', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
    ]);
  });

  it('completes a message only at the blank line, across any chunking', () => {
    const text = 'id: 7\ndata: {"seq":7}\n\n';
    const parser = new SseParser();
    const out = [...text].flatMap((ch) => parser.push(ch));
    expect(out).toEqual([{ id: '7', event: 'message', data: '{"seq":7}' }]);
  });

  it('gives each message its own id rather than carrying the last one over', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\ndata: a\n\ndata: b\n\n')).toEqual([
      { id: '1', event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('drops blocks without data and keeps a value without a leading space as is', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\n\ndata:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('refuses an endless line', () => {
    const parser = new SseParser();
    expect(() => parser.push(`data: ${'x'.repeat(1024 * 1024 + 10)}`)).toThrow(/longer than/);
  });
});
