// A JSON object (arrays and null are not): what tool results, details and domains must be.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
