// tool_policy of a RunRequest: deny wins over allow; an absent allow list allows every tool.
// Entries are matched against a tool's tool_id and, so that a list written with names still
// protects, against its name too.
import type { ToolPolicy } from '@arp-ts/sdk';

export function isToolAllowed(
  policy: ToolPolicy | undefined,
  tool: { tool_id: string; name: string },
): boolean {
  if (!policy) return true;
  const deny = policy.deny_tool_ids;
  if (deny && (deny.includes(tool.tool_id) || deny.includes(tool.name))) return false;
  const allow = policy.allow_tool_ids;
  if (allow && !allow.includes(tool.tool_id) && !allow.includes(tool.name)) return false;
  return true;
}
