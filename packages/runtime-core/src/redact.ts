// Prompt redaction for traces: the text is replaced by its digest and length, so traces can be
// kept without the prompts while identical prompts stay recognisable.
import { createHash } from 'node:crypto';

export interface RedactedText {
  sha256: string;
  length: number;
}

export function redactPrompt(text: string): RedactedText {
  return { sha256: createHash('sha256').update(text, 'utf8').digest('hex'), length: text.length };
}
