// Routes about the service itself: health, version, the OpenAPI document and Prometheus metrics.
// These stay open when authentication is on.
import express, { type Router } from 'express';
import { runtimeOpenApi, type VersionInfo } from '@arp-ts/sdk';
import { methodNotAllowed } from '@arp-ts/service-kit';
import type { HealthChecker } from '../health.js';
import { METRICS_CONTENT_TYPE } from '../metrics.js';

export interface ServiceRoutesOptions {
  health: HealthChecker;
  version: VersionInfo;
  metrics: () => string;
}

export function serviceRoutes(options: ServiceRoutesOptions): Router {
  const router = express.Router();
  router
    .route('/v1/health')
    .get(async (_req, res) => {
      res.status(200).json(await options.health.check());
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/v1/version')
    .get((_req, res) => {
      res.status(200).json(options.version);
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/openapi.json')
    .get((_req, res) => {
      res.status(200).json(runtimeOpenApi);
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/metrics')
    .get((_req, res) => {
      res.status(200).type(METRICS_CONTENT_TYPE).send(options.metrics());
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
