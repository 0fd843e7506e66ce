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
    // CI runs every package's tests at once on two cores: there a test that starts three processes
    // took 15.6 s (3.2 s alone). The timeout only bounds a hung test, so it leaves room for that.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};
