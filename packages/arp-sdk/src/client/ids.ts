// Guards for ids that become path segments.

/**
 * Rejects ids that cannot name a resource in a URL path: empty ones, and `.`/`..`, which URL
 * normalisation would turn into a different path. Everything else is percent-encoded.
 */
export function requireId(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value === '.' || value === '..') {
    throw new TypeError(
      `${name} must be a non-empty string other than "." and "..": got ${JSON.stringify(value)}`,
    );
  }
}
