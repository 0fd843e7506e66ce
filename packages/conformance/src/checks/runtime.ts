// Every check of an ARP Runtime, tier by tier.
import { runSmokeChecks } from './common.js';
import { runCancelChecks } from './runtime-cancel.js';
import { runRuntimeCoreChecks } from './runtime-core.js';
import { runEventsChecks } from './runtime-events-checks.js';
import { runPolicyChecks } from './runtime-policy.js';
import { runDuplicateRunIdCheck, runRunRequestValidationChecks } from './runtime-requests.js';
import { runRuntimeSurfaceChecks } from './runtime-surface.js';
import type { Suite } from './suite.js';

export async function runRuntimeChecks(suite: Suite): Promise<void> {
  await runSmokeChecks(suite, 'runtime');
  if (!suite.includes('surface')) return;
  await runRuntimeSurfaceChecks(suite);
  if (!suite.includes('core')) return;
  const core = await runRuntimeCoreChecks(suite);
  if (!suite.includes('deep')) return;
  await runRunRequestValidationChecks(suite);
  await runDuplicateRunIdCheck(suite, core);
  const eventsOffered = await runEventsChecks(suite, core);
  await runPolicyChecks(suite, eventsOffered);
  await runCancelChecks(suite, core);
}
