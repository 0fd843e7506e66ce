// The README documents every check the kit can report.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(CHECKS.map((c) => [c.id]))('documents %s', (id) => {
    const vector = /^(.*\.(?:invalid_run_request|invalid_request))\.(.+)$/.exec(id);
    if (vector) {
      expect(readme).toContain(`\`${vector[1]}.<vector>\``);
      expect(readme).toContain(`\`${vector[2]}\``);
    } else {
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${id.replace(/\./g, '\\.')}\`\\s*\\|`));
    }
  });
});
