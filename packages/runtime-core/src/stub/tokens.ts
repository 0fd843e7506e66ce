// The stub's token estimate (about four characters per token), so limits.max_tokens and usage
// behave in stub mode as they would with a model.
import type { TokenUsage } from '../models.js';

export function estimateTokens(chars: number): number {
  return chars <= 0 ? 0 : Math.ceil(chars / 4);
}

export function stubUsage(inputChars: number, outputChars: number): TokenUsage {
  const input = estimateTokens(inputChars);
  const output = estimateTokens(outputChars);
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}
