import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

/** Express request of any entity route (`:kind/:namespace/:name`). */
export type EntityRequest = Request<any, any, any, any>;

export type EntityAuthorizer = (
  req: EntityRequest,
  required:
    | ResourcePermission<'catalog-entity'>
    | ResourcePermission<'catalog-entity'>[],
) => Promise<{ entity: Entity; credentials: BackstageCredentials }>;

/**
 * The first thing every entity route does: the caller's credentials, the
 * entity as the caller may see it (404 otherwise), and every required
 * permission checked against it (403 naming the first one denied), before
 * anything reaches an upstream.
 */
export function createEntityAuthorizer(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
}): EntityAuthorizer {
  const { httpAuth, permissions, catalog } = options;
  return async (req, required) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { kind, namespace, name } = req.params as {
      kind: string;
      namespace: string;
      name: string;
    };
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`Entity ${kind}:${namespace}/${name} not found`);
    }
    const entityRef = stringifyEntityRef(entity);
    const list = Array.isArray(required) ? required : [required];
    const decisions = await permissions.authorize(
      list.map(permission => ({ permission, resourceRef: entityRef })),
      { credentials },
    );
    const denied = list.find(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied) {
      throw new NotAllowedError(
        `Missing permission ${denied.name} for ${entityRef}`,
      );
    }
    return { entity, credentials };
  };
}
