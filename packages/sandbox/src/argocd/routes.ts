import { Router } from './http';
import { registerApplicationRoutes } from './applicationRoutes';
import { registerResourceRoutes } from './resourceRoutes';
import type { RouteDeps } from './routeSupport';
import { registerSessionRoutes } from './sessionRoutes';

export type { RouteDeps } from './routeSupport';

/** All routes, with the swagger's path templates. */
export function buildRouter(deps: RouteDeps): Router {
  const router = new Router();
  registerSessionRoutes(router, deps);
  registerApplicationRoutes(router, deps);
  registerResourceRoutes(router, deps);
  return router;
}
