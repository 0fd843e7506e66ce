// Checks that both kinds of service share: health, version, and how unknown routes are answered.
import { validateHealth, validateVersionInfo, type VersionInfo } from '@arp-ts/sdk';
import { expectErrorEnvelope, expectOkJson, expectStatus } from './expect.js';
import { CheckFailure, fail, pass, warn, type Suite } from './suite.js';

/** `runtime` or `tool_registry`: the first segment of the check ids. */
export type IdPrefix = 'runtime' | 'tool_registry';

export async function runSmokeChecks(suite: Suite, prefix: IdPrefix): Promise<void> {
  await suite.run(`${prefix}.smoke.health`, async ({ http }) => {
    const res = await http.send({ method: 'GET', path: '/v1/health' });
    const health = expectOkJson(res, validateHealth, 'GET /v1/health');
    return pass(`status "${health.status}", ${health.checks?.length ?? 0} checks`);
  });

  let version: VersionInfo | undefined;
  const versionResult = await suite.run(`${prefix}.smoke.version`, async ({ http }) => {
    const res = await http.send({ method: 'GET', path: '/v1/version' });
    version = expectOkJson(res, validateVersionInfo, 'GET /v1/version');
    return pass(`${version.service_name} ${version.service_version}`);
  });

  if (!version) {
    suite.skip(
      `${prefix}.smoke.api_version_v1`,
      `needs a valid VersionInfo (${prefix}.smoke.version ${versionResult?.status ?? 'not run'})`,
    );
    return;
  }
  // Asked again so that a failure carries its own exchange.
  await suite.run(`${prefix}.smoke.api_version_v1`, async ({ http }) => {
    const res = await http.send({ method: 'GET', path: '/v1/version' });
    const versions = expectOkJson(
      res,
      validateVersionInfo,
      'GET /v1/version',
    ).supported_api_versions;
    return versions.includes('v1')
      ? pass(`supported_api_versions: ${versions.join(', ')}`)
      : fail(`supported_api_versions is [${versions.join(', ')}], without "v1"`);
  });
}

/** A random path segment that no service has, so an answer to it is a "not found". */
export function unknownId(kind: string): string {
  return `arp-conformance-no-such-${kind}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function runUnknownRouteCheck(suite: Suite, prefix: IdPrefix): Promise<void> {
  await suite.run(`${prefix}.surface.unknown_route`, async ({ http }) => {
    const path = `/v1/${unknownId('route')}`;
    const res = await http.send({ method: 'GET', path });
    expectStatus(res, 404, `GET ${path}`);
    try {
      const envelope = expectErrorEnvelope(res, 404, `GET ${path}`);
      return pass(`404 ${envelope.error.code}`);
    } catch (err) {
      // The standard defines ErrorEnvelopes for its own operations; an unknown route is outside
      // them, so a plain 404 is a warning, not a failure.
      if (err instanceof CheckFailure) return warn(`404 without an ErrorEnvelope: ${err.message}`);
      throw err;
    }
  });
}
