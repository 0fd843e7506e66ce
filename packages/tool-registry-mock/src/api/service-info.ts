import { readPackageInfo } from '@arp-ts/service-kit';

export const SERVICE_NAME = 'arp-tool-registry';

export interface ServiceInfo {
  name: string;
  version: string;
}

let cached: ServiceInfo | undefined;

/** This package's service name and version (read once from package.json). */
export function serviceInfo(): ServiceInfo {
  cached ??= { name: SERVICE_NAME, version: readPackageInfo(import.meta.url).version };
  return cached;
}
