import type { Router } from './http';
import { RouteDeps, asObject, principalOf } from './routeSupport';
import { fakeSha } from './util';

/** Session (login), user info and version: the unauthenticated corner of the API. */
export function registerSessionRoutes(router: Router, deps: RouteDeps): void {
  const { auth } = deps;

  router.add({
    method: 'POST',
    path: '/api/v1/session',
    handler: ctx => {
      const body = asObject(ctx.body, 'session.SessionCreateRequest');
      return { token: auth.login(body.username, body.password) };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/api/v1/session',
    handler: ctx => {
      principalOf(deps, ctx);
      return { token: '' };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/session/userinfo',
    handler: ctx => {
      const principal = auth.tryAuthenticate(ctx.request.headers);
      return principal
        ? { loggedIn: true, username: principal.username, iss: 'argocd' }
        : { loggedIn: false };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/version',
    handler: ctx => {
      const commit = fakeSha(`argo-cd/${deps.version}`);
      const version = `${deps.version}+${commit.slice(0, 7)}`;
      // Anonymous callers only learn the version string.
      if (!auth.tryAuthenticate(ctx.request.headers)) {
        return { Version: version };
      }
      return {
        Version: version,
        BuildDate: '2025-09-16T12:00:00Z',
        GitCommit: commit,
        GitTreeState: 'clean',
        GoVersion: 'go1.24.6',
        Compiler: 'gc',
        Platform: 'linux/amd64',
        KustomizeVersion: 'v5.7.1 2025-07-23T12:45:29Z',
        HelmVersion: 'v3.18.4+gd80839c',
        KubectlVersion: 'v0.33.1',
        JsonnetVersion: 'v0.21.0',
      };
    },
  });
}
