import { createRouteRef } from '@backstage/core-plugin-api';

/** The Operations page. @public */
export const operationsRouteRef = createRouteRef({
  id: 'praevisio:operations',
});
