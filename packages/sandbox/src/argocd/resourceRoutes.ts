import { Principal } from './auth';
import { ArgoApiError } from './errors';
import { RequestContext, Router } from './http';
import {
  Body,
  RouteDeps,
  asObject,
  optionalString,
  principalOf as authenticate,
  versionAtLeast,
} from './routeSupport';
import type { ApplicationStore } from './store';

/** Live resources of an application and the resource actions run on them. */
export function registerResourceRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps;
  const principalOf = (ctx: RequestContext): Principal =>
    authenticate(deps, ctx);

  interface ResourceQuery {
    namespace: string;
    resourceName: string;
    group: string;
    kind: string;
    project?: string;
  }

  const resourceQuery = (source: URLSearchParams | Body): ResourceQuery => {
    const get = (k: string) =>
      source instanceof URLSearchParams
        ? source.get(k) ?? ''
        : String(source[k] ?? '');
    return {
      namespace: get('namespace'),
      resourceName: get('resourceName'),
      group: get('group'),
      kind: get('kind'),
      project: get('project') || undefined,
    };
  };

  /** getAppLiveResource: RBAC on the app, then the resource must be in its tree. */
  const liveResource = (
    principal: Principal,
    action: Parameters<ApplicationStore['lookup']>[1],
    appName: string,
    q: ResourceQuery,
  ) => {
    const record = store.lookup(principal, action, appName, q.project);
    const resource = store.findResource(record, {
      group: q.group,
      kind: q.kind,
      namespace: q.namespace,
      name: q.resourceName,
    });
    if (!resource) {
      throw new ArgoApiError(
        'InvalidArgument',
        `${q.kind} ${q.group} ${q.resourceName} not found as part of application ${appName}`,
      );
    }
    return { record, resource };
  };

  router.add({
    method: 'GET',
    path: '/api/v1/applications/{name}/resource',
    handler: ctx => {
      const principal = principalOf(ctx);
      const { resource } = liveResource(
        principal,
        'get',
        ctx.params.name,
        resourceQuery(ctx.query),
      );
      return { manifest: JSON.stringify(resource.object) };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/applications/{name}/resource/actions',
    handler: ctx => {
      const principal = principalOf(ctx);
      const { record, resource } = liveResource(
        principal,
        'get',
        ctx.params.name,
        resourceQuery(ctx.query),
      );
      const isWorkload =
        resource.managed && resource.object.kind === record.workload.kind;
      return { actions: isWorkload ? record.workload.actions() : [] };
    },
  });

  const runAction = (ctx: RequestContext, q: ResourceQuery, action: string) => {
    const principal = principalOf(ctx);
    const { record, resource } = liveResource(
      principal,
      `action/${q.group}/${q.kind}/${action}`,
      ctx.params.name,
      q,
    );
    if (!resource.managed || resource.object.kind !== record.workload.kind) {
      throw new ArgoApiError(
        'Unknown',
        'error getting Lua resource action: built-in script does not exist',
      );
    }
    // Lua actions run without consulting discovery: a "disabled" action
    // still executes (and is usually a no-op).
    record.workload.runAction(action, deps.clock());
    store.touch(record);
    store.refresh(record);
    return {};
  };

  router.add({
    method: 'POST',
    path: '/api/v1/applications/{name}/resource/actions',
    handler: ctx => {
      // Deprecated v1: the body is the action name as a JSON string literal.
      if (typeof ctx.body !== 'string') {
        throw new ArgoApiError(
          'InvalidArgument',
          `json: cannot unmarshal ${
            Array.isArray(ctx.body) ? 'array' : typeof ctx.body
          } into Go value of type string`,
        );
      }
      return runAction(ctx, resourceQuery(ctx.query), ctx.body);
    },
  });

  if (versionAtLeast(deps.version, 3, 1)) {
    router.add({
      method: 'POST',
      path: '/api/v1/applications/{name}/resource/actions/v2',
      handler: ctx => {
        const body = asObject(
          ctx.body,
          'application.ResourceActionRunRequestV2',
        );
        return runAction(
          ctx,
          resourceQuery(body),
          optionalString(body, 'action') ?? '',
        );
      },
    });
  }
}
