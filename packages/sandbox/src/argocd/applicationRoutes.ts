import type { ApplicationRecord } from './application';
import { Principal, enforce, isAllowed } from './auth';
import type { SyncRequest } from './controller';
import { ArgoApiError } from './errors';
import { RequestContext, Router } from './http';
import { PatchError, applyJsonPatch, applyMergePatch } from './jsonPatch';
import { LabelSelector, LabelSelectorError } from './labelSelector';
import {
  Body,
  RouteDeps,
  asObject,
  optionalString,
  principalOf as authenticate,
  stripNulls,
} from './routeSupport';
import type { Application, ApplicationSpec, ObjectMeta } from './types';

/** ApplicationService: list, get, update, sync, rollback, tree, revision metadata. */
export function registerApplicationRoutes(
  router: Router,
  deps: RouteDeps,
): void {
  const { store, controller } = deps;
  const principalOf = (ctx: RequestContext): Principal =>
    authenticate(deps, ctx);
  const username = (p: Principal) => ({ username: p.username });

  /** `project` (legacy) wins over `projects`, like getProjectsFromApplicationQuery. */
  const projectsOf = (query: URLSearchParams): string[] =>
    query.has('project') ? query.getAll('project') : query.getAll('projects');

  router.add({
    method: 'GET',
    path: '/api/v1/applications',
    handler: ctx => {
      const principal = principalOf(ctx);
      let selector: LabelSelector;
      try {
        selector = LabelSelector.parse(ctx.query.get('selector'));
      } catch (e) {
        if (e instanceof LabelSelectorError) {
          // A plain error server-side, so codes.Unknown / HTTP 500.
          throw new Error(`error parsing the selector: ${e.message}`);
        }
        throw e;
      }
      const name = ctx.query.get('name');
      const projects = projectsOf(ctx.query);
      const repo = ctx.query.get('repo');
      const items: Application[] = store
        .all()
        .filter(r => selector.matches(r.app.metadata.labels))
        .filter(r => !name || r.name === name)
        .filter(r => projects.length === 0 || projects.includes(r.project))
        .filter(r => !repo || r.source.repoURL === repo)
        // List silently drops what the caller may not see.
        .filter(r => isAllowed(principal, 'get', r.project))
        .map(r => store.view(r));
      return {
        metadata: { resourceVersion: store.listResourceVersion() },
        items,
      };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/applications/{name}',
    handler: ctx => {
      const principal = principalOf(ctx);
      const projects = projectsOf(ctx.query);
      if (projects.length > 1) {
        throw new ArgoApiError(
          'InvalidArgument',
          'multiple projects specified - the get endpoint accepts either zero or one project',
        );
      }
      const record = store.lookup(
        principal,
        'get',
        ctx.params.name,
        projects[0],
      );
      if (ctx.query.has('refresh')) {
        store.refresh(record, true);
      }
      return store.view(record);
    },
  });

  /** validateAndUpdateApp: spec, labels, annotations and finalizers are writable. */
  const updateApp = (
    principal: Principal,
    record: ApplicationRecord,
    specBody: unknown,
    metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'>,
  ) => {
    const spec = stripNulls(
      asObject(specBody, 'v1alpha1.ApplicationSpec'),
    ) as ApplicationSpec;
    const project = spec.project || 'default';
    if (!store.hasProject(project)) {
      throw new ArgoApiError(
        'InvalidArgument',
        `application references project ${project} which does not exist`,
      );
    }
    if (project !== record.project) {
      enforce(principal, 'update', project, record.name);
    }
    if (typeof spec.destination !== 'object' || spec.destination === null) {
      throw new ArgoApiError(
        'InvalidArgument',
        `application spec for ${record.name} is invalid: InvalidSpecError: Destination server missing from app spec`,
      );
    }
    const app = record.app;
    if (JSON.stringify(spec) !== JSON.stringify(app.spec)) {
      app.metadata.generation = (app.metadata.generation ?? 1) + 1;
    }
    app.spec = { ...spec, project: spec.project ?? '' };
    if (metadata) {
      // Like updateApp: labels, annotations and finalizers are replaced
      // wholesale, so a patch that removes them clears them.
      const { labels, annotations, finalizers } = structuredClone(metadata);
      const {
        labels: _l,
        annotations: _a,
        finalizers: _f,
        ...rest
      } = app.metadata;
      app.metadata = {
        ...rest,
        ...(labels ? { labels } : {}),
        ...(annotations ? { annotations } : {}),
        ...(finalizers ? { finalizers } : {}),
      };
    }
    store.touch(record);
    store.refresh(record);
  };

  router.add({
    method: 'PATCH',
    path: '/api/v1/applications/{name}',
    handler: ctx => {
      const principal = principalOf(ctx);
      const body = asObject(ctx.body, 'application.ApplicationPatchRequest');
      const record = store.lookup(
        principal,
        'get',
        ctx.params.name,
        optionalString(body, 'project'),
      );
      store.enforce(principal, 'update', record);
      const patchType = optionalString(body, 'patchType') ?? '';
      const patchText = optionalString(body, 'patch') ?? '';
      let patched: unknown;
      let patch: unknown;
      try {
        patch = JSON.parse(patchText);
      } catch (e) {
        throw new Error(
          `${
            patchType === 'merge'
              ? 'error calculating merge patch'
              : 'error decoding json patch'
          }: ${(e as Error).message}`,
        );
      }
      switch (patchType) {
        case 'json':
        case '':
          try {
            patched = applyJsonPatch(store.view(record), patch);
          } catch (e) {
            if (e instanceof PatchError) {
              throw new Error(`error applying patch: ${e.message}`);
            }
            throw e;
          }
          break;
        case 'merge':
          patched = applyMergePatch(store.view(record), patch);
          break;
        default:
          throw new ArgoApiError(
            'InvalidArgument',
            `Patch type '${patchType}' is not supported`,
          );
      }
      const next = asObject(patched, 'v1alpha1.Application');
      const meta = asObject(next.metadata ?? {}, 'v1.ObjectMeta') as Body &
        Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'>;
      updateApp(principal, record, next.spec, meta);
      return store.view(record);
    },
  });

  router.add({
    method: 'PUT',
    path: '/api/v1/applications/{name}/spec',
    handler: ctx => {
      const principal = principalOf(ctx);
      const record = store.lookup(
        principal,
        'update',
        ctx.params.name,
        ctx.query.get('project') ?? undefined,
      );
      updateApp(principal, record, ctx.body);
      return structuredClone(record.app.spec);
    },
  });

  router.add({
    method: 'POST',
    path: '/api/v1/applications/{name}/sync',
    handler: ctx => {
      const principal = principalOf(ctx);
      const body = asObject(ctx.body, 'application.ApplicationSyncRequest');
      const record = store.lookup(
        principal,
        'get',
        ctx.params.name,
        optionalString(body, 'project'),
      );
      store.enforce(principal, 'sync', record);
      optionalString(body, 'revision'); // type check only, like the gateway's unmarshal
      controller.requestSync(record, body as SyncRequest, username(principal));
      return store.view(record);
    },
  });

  router.add({
    method: 'POST',
    path: '/api/v1/applications/{name}/rollback',
    handler: ctx => {
      const principal = principalOf(ctx);
      const body = asObject(ctx.body, 'application.ApplicationRollbackRequest');
      const record = store.lookup(
        principal,
        'sync',
        ctx.params.name,
        optionalString(body, 'project'),
      );
      controller.requestRollback(
        record,
        {
          id: body.id as number | string | undefined,
          dryRun: body.dryRun === true,
          prune: body.prune === true,
        },
        username(principal),
      );
      return store.view(record);
    },
  });

  router.add({
    method: 'DELETE',
    path: '/api/v1/applications/{name}/operation',
    handler: ctx => {
      const principal = principalOf(ctx);
      const record = store.lookup(
        principal,
        'sync',
        ctx.params.name,
        ctx.query.get('project') ?? undefined,
      );
      controller.terminate(record);
      return {};
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/applications/{applicationName}/resource-tree',
    handler: ctx => {
      const principal = principalOf(ctx);
      const record = store.lookup(
        principal,
        'get',
        ctx.params.applicationName,
        ctx.query.get('project') ?? undefined,
      );
      return store.tree(record);
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/applications/{name}/revisions/{revision}/metadata',
    handler: ctx => {
      const principal = principalOf(ctx);
      const record = store.lookup(
        principal,
        'get',
        ctx.params.name,
        ctx.query.get('project') ?? undefined,
      );
      return store.git.metadata(record.source.repoURL, ctx.params.revision);
    },
  });
}
