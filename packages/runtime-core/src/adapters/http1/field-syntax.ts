// The character rules of HTTP/1.1 field lines (RFC 9110 5.1, 5.5), shared by the response
// parser (what a server may send) and the request writer (what we refuse to send), and reading
// comma-separated field values such as Connection.

/** A token: the characters of a method or a header field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A received field value: visible characters, SP, HTAB and obs-text; no CR, LF, NUL or CTLs. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A field value we send: printable ASCII, SP and HTAB, so it is the same bytes in any encoding. */
const SENT_FIELD_VALUE = /^[\t\x20-\x7e]*$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isFieldValue(text: string): boolean {
  return FIELD_VALUE.test(text);
}

export function isSentFieldValue(text: string): boolean {
  return SENT_FIELD_VALUE.test(text);
}

/** Names the first character that makes a value invalid (received, or sent: ASCII only). */
export function describeBadValue(text: string, sent = false): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d) return 'a CR';
    if (code === 0x0a) return 'an LF';
    if (code === 0) return 'a NUL';
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return `a control character (0x${code.toString(16).padStart(2, '0')})`;
    }
    if (code > (sent ? 0x7e : 0xff)) {
      return `a non-ASCII character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
    }
  }
  return 'an invalid character';
}

/** Whether a comma-separated header value lists `token` (case-insensitive). */
export function listsToken(value: string, token: string): boolean {
  const lower = value.toLowerCase();
  if (!lower.includes(token)) return false; // the usual `keep-alive`, without splitting
  for (const item of lower.split(',')) if (item.trim() === token) return true;
  return false;
}
