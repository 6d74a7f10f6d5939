import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  praevisioGateOverridePermission,
  praevisioReleaseDeployPermission,
  praevisioReleaseReadPermission,
} from '@praevisio/backstage-plugin-common';
import { spec } from '../schema/openapi.generated';
import { parseWindow } from './GateEvaluationService';
import { Gates } from './Gates';
import { actorOf, idempotencyKeyOf } from '../service/requestContext';
import { createEntityAuthorizer } from '../service/entityAuthorizer';

export interface GatesRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  gates: Gates;
  clock?: () => Date;
}

const MIN_REASON_LENGTH = 10;

/**
 * Quality-gate routes: parse, authorize against the entity (before any
 * Prometheus query), call the gate service, return its DTO.
 */
export function registerGatesRoutes(
  router: ApiRouter<typeof spec>,
  options: GatesRoutesOptions,
): void {
  const { httpAuth, permissions, auditor, catalog, gates } = options;
  const clock = options.clock ?? (() => new Date());

  const authorizedEntity = createEntityAuthorizer({
    httpAuth,
    permissions,
    catalog,
  });

  router.get('/entities/:kind/:namespace/:name/gates', async (req, res) => {
    const { entity } = await authorizedEntity(
      req,
      praevisioReleaseReadPermission,
    );
    res.json((await gates.overview(entity)) as any);
  });

  router.post(
    '/entities/:kind/:namespace/:name/gates/evaluate',
    async (req, res) => {
      const { kind, namespace, name } = req.params;
      const auditorEvent = await auditor.createEvent({
        eventId: 'gate-evaluate',
        severityLevel: 'medium',
        request: req,
        meta: {
          entityRef: `${kind}:${namespace}/${name}`,
          environment: req.body.environment,
        },
      });
      try {
        const idempotencyKey = idempotencyKeyOf(
          req,
          'a gate evaluation',
          'a retried request returns the first evaluation',
        );
        const window = parseWindow(req.body, clock());
        const { entity, credentials } = await authorizedEntity(
          req,
          praevisioReleaseDeployPermission,
        );
        const { evaluation, replayed } = await gates.evaluations.evaluate({
          entity,
          environment: req.body.environment,
          application: req.body.application,
          window,
          trigger: 'manual',
          triggeredBy: actorOf(credentials),
          idempotencyKey,
          request: { ...req.body },
        });
        await auditorEvent.success({
          meta: {
            evaluationId: evaluation.id,
            result: evaluation.result,
            score: evaluation.score,
            replayed,
          },
        });
        if (replayed) res.setHeader('Idempotent-Replayed', 'true');
        res.status(replayed ? 200 : 201).json(evaluation as any);
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/gates/evaluations/:id/override',
    async (req, res) => {
      const { kind, namespace, name, id } = req.params;
      const auditorEvent = await auditor.createEvent({
        eventId: 'gate-override',
        severityLevel: 'high',
        request: req,
        meta: { entityRef: `${kind}:${namespace}/${name}`, evaluationId: id },
      });
      try {
        const reason = req.body.reason.trim();
        if (reason.length < MIN_REASON_LENGTH) {
          throw new InputError(
            `reason: a written justification of at least ${MIN_REASON_LENGTH} characters is required to override a gate`,
          );
        }
        const { entity, credentials } = await authorizedEntity(
          req,
          praevisioGateOverridePermission,
        );
        const evaluation = await gates.evaluations.override({
          entity,
          evaluationId: id,
          reason,
          by: actorOf(credentials),
        });
        await auditorEvent.success({
          meta: { result: evaluation.result, reason },
        });
        res.json(evaluation as any);
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );
}
