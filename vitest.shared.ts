// Shared test settings: tests import sibling packages from their TypeScript sources (the
// `arp-source` export condition), so no build is needed to test a change across packages.
import type { ViteUserConfig } from 'vitest/config';

// Vite's default server conditions, with ours first.
const conditions = ['arp-source', 'module', 'node', 'development|production'];

export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
};
