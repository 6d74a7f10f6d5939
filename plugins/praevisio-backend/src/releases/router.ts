import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  praevisioReleaseDeployPermission,
  praevisioReleasePromotePermission,
  praevisioReleaseReadPermission,
  praevisioReleaseRollbackPermission,
} from '@praevisio/backstage-plugin-common';
import { Response } from 'express';
import { spec } from '../schema/openapi.generated';
import { ReleaseCommandRequest } from './commandRules';
import { Releases } from './Releases';
import { actorOf, idempotencyKeyOf } from '../service/requestContext';
import {
  createEntityAuthorizer,
  EntityRequest,
} from '../service/entityAuthorizer';

export interface ReleasesRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  releases: Releases;
}

type EntityParams = { kind: string; namespace: string; name: string };

/**
 * Releases routes. Each handler parses, authorizes against the entity (the
 * permission check comes before anything reaches Argo CD), calls the
 * Releases services and returns their DTO.
 */
export function registerReleasesRoutes(
  router: ApiRouter<typeof spec>,
  options: ReleasesRoutesOptions,
): void {
  const { httpAuth, permissions, auditor, catalog, releases } = options;

  const authorizedEntity = createEntityAuthorizer({
    httpAuth,
    permissions,
    catalog,
  });

  /** A command: audited from the first line, so refusals are audited too. */
  async function runCommand(
    req: EntityRequest,
    res: Response,
    command: {
      eventId: string;
      severityLevel: AuditorServiceEventSeverityLevel;
      required: ResourcePermission<'catalog-entity'>[];
      request: ReleaseCommandRequest;
    },
  ) {
    const { kind, namespace, name } = req.params as EntityParams;
    const application = req.params.application as string;
    const auditorEvent = await auditor.createEvent({
      eventId: command.eventId,
      severityLevel: command.severityLevel,
      request: req,
      meta: {
        entityRef: `${kind}:${namespace}/${name}`,
        application,
        command: command.request,
      },
    });
    try {
      const idempotencyKey = idempotencyKeyOf(
        req,
        'every release command',
        'a retried request is not executed twice',
      );
      const { entity, credentials } = await authorizedEntity(
        req,
        command.required,
      );
      const result = await releases.commands.execute({
        entity,
        application,
        actor: actorOf(credentials),
        idempotencyKey,
        request: command.request,
      });
      await auditorEvent.success({
        meta: {
          deploymentId: result.deployment.id,
          state: result.deployment.state,
          replayed: result.replayed,
        },
      });
      if (result.replayed) {
        res.setHeader('Idempotent-Replayed', 'true');
      }
      res.status(result.status).json(result.deployment);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const { entity } = await authorizedEntity(req, [
      praevisioReleaseReadPermission,
    ]);
    res.json(await releases.readModel.getOverview(entity));
  });

  router.get(
    '/entities/:kind/:namespace/:name/releases/history',
    async (req, res) => {
      const { entity } = await authorizedEntity(req, [
        praevisioReleaseReadPermission,
      ]);
      const { application, page, pageSize } = req.query;
      res.json(
        await releases.readModel.getHistory(entity, {
          application,
          page: page ?? 0,
          pageSize: pageSize ?? 20,
        }),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const { entity } = await authorizedEntity(req, [
        praevisioReleaseReadPermission,
      ]);
      const items = await releases.commands.listDeployments(
        stringifyEntityRef(entity),
        req.query.limit ?? 20,
      );
      res.json({ items });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/releases/:application/sync',
    async (req, res) => {
      const { revision, dryRun } = req.body;
      if (dryRun) {
        const { entity } = await authorizedEntity(req, [
          praevisioReleaseDeployPermission,
        ]);
        res.json(
          await releases.commands.preview(
            entity,
            req.params.application,
            revision,
          ),
        );
        return;
      }
      await runCommand(req, res, {
        eventId: 'release-sync',
        severityLevel: 'medium',
        required: [praevisioReleaseDeployPermission],
        request: { type: 'sync', ...(revision ? { revision } : {}) },
      });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/releases/:application/rollback',
    async (req, res) => {
      const { historyId, disableAutoSync = false } = req.body;
      await runCommand(req, res, {
        eventId: disableAutoSync
          ? 'release-disable-auto-sync-and-rollback'
          : 'release-rollback',
        // Turning off auto-sync changes the app's policy, not just its revision.
        severityLevel: disableAutoSync ? 'high' : 'medium',
        required: disableAutoSync
          ? [
              praevisioReleaseRollbackPermission,
              praevisioReleaseDeployPermission,
            ]
          : [praevisioReleaseRollbackPermission],
        request: { type: 'rollback', historyId, disableAutoSync },
      });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/releases/:application/rollout',
    async (req, res) => {
      const { action } = req.body;
      await runCommand(req, res, {
        eventId: 'release-rollout-action',
        severityLevel: 'medium',
        required: [praevisioReleasePromotePermission],
        request: { type: 'rollout', action },
      });
    },
  );
}
