// Parsed request targets per URL: parsing a URL costs more than the rest of a request's setup,
// and a client calls the same few URLs over and over. Bounded: past maxEntries it starts over.
export class UrlMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly parse: (url: string) => T,
    private readonly maxEntries = 256,
  ) {}

  /** The parsed target of `url`; throws what `parse` throws (nothing is kept then). */
  of(url: string): T {
    let entry = this.entries.get(url);
    if (entry === undefined) {
      entry = this.parse(url);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(url, entry);
    }
    return entry;
  }
}

/** A URL that must be http: or https:; a TypeError for any other scheme. */
export function httpUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`unsupported protocol ${parsed.protocol}`);
  }
  return parsed;
}
