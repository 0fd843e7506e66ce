// Which public requests a shard passes to another shard (frontRouteOf): it must match what
// express would route, or a run's requests would be answered by a shard that does not hold it.
import { describe, expect, it } from 'vitest';
import { frontRouteOf, originForm, type FrontRoute } from '../src/cluster/shard-front.js';

const run = (runId: string): FrontRoute => ({ kind: 'run', runId });
const LIST: FrontRoute = { kind: 'list' };
const METRICS: FrontRoute = { kind: 'metrics' };

const CASES: [method: string, url: string, route: FrontRoute | undefined][] = [
  // Listings gather every shard; creating runs is served where the request lands.
  ['GET', '/v1/runs', LIST],
  ['GET', '/V1/Runs', LIST],
  ['GET', '/v1/runs/', LIST],
  ['GET', '/v1/runs?page_size=1&page_token=abc', LIST],
  ['GET', '/v1/runs/?state=running', LIST],
  ['HEAD', '/v1/runs', LIST],
  ['POST', '/v1/runs', undefined],
  ['POST', '/v1/runs?x=1', undefined],
  ['DELETE', '/v1/runs', undefined],
  // A run's status, result and events go to its owner.
  ['GET', '/v1/runs/run-a', run('run-a')],
  ['GET', '/V1/RUNS/run-a', run('run-a')],
  ['GET', '/v1/runs/run-a/', run('run-a')],
  ['GET', '/v1/runs/run-a?x=1', run('run-a')],
  ['GET', '/v1/runs/run-a/result', run('run-a')],
  ['GET', '/v1/runs/run-a/events', run('run-a')],
  ['GET', '/v1/runs/run-a/events?last_event_id=3', run('run-a')],
  ['DELETE', '/v1/runs/run-a', run('run-a')],
  // Percent-encoded ids are decoded as express decodes the parameter.
  ['GET', '/v1/runs/run%2Da', run('run-a')],
  ['GET', '/v1/runs/a%3Ab/result', run('a:b')],
  // `:cancel` is the cancel action only for POST; otherwise it is part of the id.
  ['POST', '/v1/runs/run-a:cancel', run('run-a')],
  ['POST', '/v1/runs/run-a%3Acancel', run('run-a')],
  ['POST', '/v1/runs/run-a:cancel/', run('run-a')],
  ['POST', '/v1/runs/run-a:cancel?x=1', run('run-a')],
  ['GET', '/v1/runs/run-a:cancel', run('run-a:cancel')],
  ['POST', '/v1/runs/run-a:cancel/result', run('run-a:cancel')],
  // Ids this shard refuses the same way any shard would are not passed on.
  ['GET', '/v1/runs/%zz', undefined],
  ['GET', '/v1/runs/%E0%A4%A/result', undefined],
  ['GET', '/v1/runs/a%2Fb', undefined],
  ['GET', '/v1/runs/..', undefined],
  ['GET', '/v1/runs/.', undefined],
  ['GET', '/v1/runs/has%20space', undefined],
  ['GET', `/v1/runs/${'x'.repeat(129)}`, undefined],
  ['GET', `/v1/runs/${'x'.repeat(128)}`, run('x'.repeat(128))],
  ['POST', '/v1/runs/:cancel', undefined],
  ['GET', '/v1/runs//', undefined],
  // Metrics sum every shard's.
  ['GET', '/metrics', METRICS],
  ['GET', '/METRICS', METRICS],
  ['GET', '/metrics/', METRICS],
  ['GET', '/metrics?name=x', METRICS],
  ['HEAD', '/metrics', METRICS],
  ['POST', '/metrics', undefined],
  ['GET', '/metrics/extra', undefined],
  // Absolute-form targets (RFC 9112 3.2.2) are routed by their path, as express routes them.
  ['GET', 'http://runtime.test/v1/runs/run-a/events', run('run-a')],
  ['POST', 'HTTP://runtime.test:8081/v1/runs/run-a:cancel', run('run-a')],
  ['GET', 'https://user@runtime.test/V1/runs?page_size=1', LIST],
  ['GET', 'http://runtime.test/metrics', METRICS],
  ['GET', 'http://runtime.test', undefined],
  ['OPTIONS', '*', undefined],
  // Everything else is this shard's.
  ['GET', '/', undefined],
  ['GET', '/v1/health', undefined],
  ['GET', '/v1/version', undefined],
  ['GET', '/v1/runsx', undefined],
  ['GET', '/v2/runs/run-a', undefined],
  ['GET', '/api/v1/runs', undefined],
];

describe('frontRouteOf', () => {
  it.each(CASES)('%s %s', (method, url, route) => {
    expect(frontRouteOf(method, url)).toEqual(route);
  });
});

describe('originForm', () => {
  it.each([
    ['/v1/runs?x=1', '/v1/runs?x=1'],
    ['http://runtime.test/v1/runs/a?x=1', '/v1/runs/a?x=1'],
    ['https://runtime.test:8443/metrics', '/metrics'],
    ['http://runtime.test', '/'],
    ['http://runtime.test?x=1', '/?x=1'],
    ['*', '*'],
  ])('%s -> %s', (target, path) => {
    expect(originForm(target)).toBe(path);
  });
});
