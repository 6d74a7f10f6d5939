import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { praevisioAuditReadPermission } from '@praevisio/backstage-plugin-common';
import express from 'express';
import { AuditLog } from '../audit/AuditLog';
import { Releases } from '../releases/Releases';
import { registerReleasesRoutes } from '../releases/router';
import { spec } from '../schema/openapi.generated';
import { IntegrationsService } from './IntegrationsService';
import { Gates } from '../gates/Gates';
import { registerGatesRoutes } from '../gates/router';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditLog: AuditLog;
  integrations: IntegrationsService;
  auditor: AuditorService;
  catalog: CatalogService;
  releases: Releases;
  gates: Gates;
}

/**
 * The plugin's HTTP API. Handlers parse (the OpenAPI validator rejects bad
 * input with a 400 naming the field), authorize, call a service and return a
 * DTO; authentication itself is enforced by the httpRouter's default policy.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditLog, integrations } = options;
  const router = createValidatedOpenApiRouter(spec);
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/integrations', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ integrations: integrations.status() });
  });

  // Typed OpenAPI requests are express requests with narrower params.
  const authorizeAuditRead = async (
    req: Parameters<HttpAuthService['credentials']>[0],
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: praevisioAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${praevisioAuditReadPermission.name}`,
      );
    }
  };

  router.get('/audit/events', async (req, res) => {
    await authorizeAuditRead(req);
    const { entityRef, afterSeq, limit } = req.query;
    res.json({ items: await auditLog.list({ entityRef, afterSeq, limit }) });
  });

  router.get('/audit/verify', async (req, res) => {
    await authorizeAuditRead(req);
    const { fromSeq, limit } = req.query;
    res.json(await auditLog.verify({ fromSeq, limit }));
  });

  registerReleasesRoutes(router, options);
  registerGatesRoutes(router, options);

  return router;
}
