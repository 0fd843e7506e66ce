// GET /v1/version: service name, this package's version, the API versions, and build information
// when the build provides it (options, or ARP_BUILD_COMMIT / ARP_BUILD_TIME / ARP_BUILD_DIRTY).
import { readPackageInfo } from '@arp-ts/service-kit';
import type { VersionInfo } from '@arp-ts/sdk';

export type BuildInfo = NonNullable<VersionInfo['build']>;

export const DEFAULT_SERVICE_NAME = 'arp-runtime';
export const PACKAGE_VERSION = readPackageInfo(import.meta.url).version;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function buildInfoFromEnv(env: Record<string, string | undefined>): BuildInfo | undefined {
  const build: BuildInfo = {};
  const commit = env.ARP_BUILD_COMMIT?.trim();
  const builtAt = env.ARP_BUILD_TIME?.trim();
  const dirty = env.ARP_BUILD_DIRTY?.trim().toLowerCase();
  if (commit && /^[0-9A-Za-z._-]{1,64}$/.test(commit)) build.commit = commit;
  if (builtAt && ISO_DATE_TIME.test(builtAt)) build.built_at = builtAt;
  if (dirty === 'true' || dirty === '1') build.dirty = true;
  else if (dirty === 'false' || dirty === '0') build.dirty = false;
  return Object.keys(build).length > 0 ? build : undefined;
}

export function versionInfo(serviceName: string, build: BuildInfo | undefined): VersionInfo {
  const info: VersionInfo = {
    service_name: serviceName,
    service_version: PACKAGE_VERSION,
    supported_api_versions: ['v1'],
  };
  if (build) info.build = build;
  return info;
}
