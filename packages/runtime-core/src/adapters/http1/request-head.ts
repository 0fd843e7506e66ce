// One request as the text that goes on the wire: request line, Host, the caller's header fields,
// Content-Length, the blank line and the body, in one string for one socket.write. A header
// name or value that could end a line (CR, LF) or otherwise break the framing is refused with a
// TypeError before anything is sent: no header injection, no request smuggling.
import type { HttpTransportRequest } from '@arp-ts/sdk';
import { describeBadValue, isSentFieldValue, isToken, listsToken } from './field-syntax.js';
import type { SocketTarget } from './request-target.js';

export interface RequestText {
  /** Head and body: the head is ASCII, the body UTF-8, so the whole string is written as UTF-8. */
  text: string;
  /** The caller sent Connection: close, so the socket is not reused after the answer. */
  closeConnection: boolean;
  /** A HEAD request: its answer has no body. */
  headRequest: boolean;
}

/** Methods that carry content: without a body they still say Content-Length: 0 (RFC 9110 8.6). */
const METHODS_WITH_CONTENT = new Set(['POST', 'PUT', 'PATCH']);

function refused(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}...` : text);
}

/** Throws a TypeError (with a node-like `code`) for a method or header that cannot be sent. */
export function requestText(request: HttpTransportRequest, target: SocketTarget): RequestText {
  const method = request.method.toUpperCase();
  if (!isToken(method)) {
    throw refused('ERR_INVALID_HTTP_TOKEN', `invalid HTTP method ${quoted(request.method)}`);
  }
  const { body, headers } = request;
  const bodyBytes =
    body !== undefined
      ? Buffer.byteLength(body, 'utf8')
      : METHODS_WITH_CONTENT.has(method)
        ? 0
        : -1;
  let fields = '';
  let hostGiven = false;
  let authorizationGiven = false;
  let lengthGiven = false;
  let closeConnection = false;
  for (const name in headers) {
    const value: unknown = headers[name];
    if (!isToken(name)) {
      throw refused('ERR_INVALID_HTTP_TOKEN', `invalid header name ${quoted(name)}`);
    }
    if (typeof value !== 'string') {
      throw refused('ERR_HTTP_INVALID_HEADER_VALUE', `header ${name} has no string value`);
    }
    if (!isSentFieldValue(value)) {
      throw refused('ERR_INVALID_CHAR', `${describeBadValue(value, true)} in header ${name}`);
    }
    // The fields that frame the request are ours to write (checked by length first: cheap).
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') hostGiven = true;
        break;
      case 10:
        if (name.toLowerCase() === 'connection' && listsToken(value, 'close'))
          closeConnection = true;
        break;
      case 13:
        if (name.toLowerCase() === 'authorization') authorizationGiven = true;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (value.trim() !== String(Math.max(0, bodyBytes))) {
            throw refused(
              'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
              `Content-Length ${quoted(value)} does not match the body's ${Math.max(0, bodyBytes)} bytes`,
            );
          }
          lengthGiven = true;
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') {
          throw refused(
            'ERR_INVALID_ARG_VALUE',
            'Transfer-Encoding is not supported: the body is sent whole',
          );
        }
        break;
    }
    fields += `${name}: ${value}\r\n`;
  }
  let head = `${method} ${target.path} HTTP/1.1\r\n`;
  if (!hostGiven) head += `Host: ${target.hostHeader}\r\n`;
  if (target.authorization !== undefined && !authorizationGiven) {
    head += `Authorization: ${target.authorization}\r\n`;
  }
  head += fields;
  if (bodyBytes >= 0 && !lengthGiven) head += `Content-Length: ${bodyBytes}\r\n`;
  return {
    text: body === undefined ? `${head}\r\n` : `${head}\r\n${body}`,
    closeConnection,
    headRequest: method === 'HEAD',
  };
}
