// Ids and names in error messages come from callers; keep the messages short whatever they send.
export function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}...` : s;
}
