import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { praevisioApiRef } from '../api/PraevisioApi';

/**
 * One server-side page (0-based) of an entity's deploy history. Changing the
 * application filter or the page size goes back to the first page;
 * `refreshKey` re-reads the current page when it changes (e.g. after a deploy).
 */
export function useReleaseHistory(
  entityRef: string,
  options: { initialPageSize?: number; refreshKey?: string } = {},
) {
  const api = useApi(praevisioApiRef);
  const [query, setQuery] = useState({
    application: undefined as string | undefined,
    page: 0,
    pageSize: options.initialPageSize ?? 10,
  });

  const state = useAsync(
    () =>
      api.getReleaseHistory(entityRef, {
        application: query.application,
        page: query.page,
        pageSize: query.pageSize,
      }),
    [api, entityRef, query, options.refreshKey],
  );

  return {
    ...state,
    ...query,
    setPage: (page: number) => setQuery(q => ({ ...q, page })),
    setPageSize: (pageSize: number) =>
      setQuery(q => ({ ...q, pageSize, page: 0 })),
    setApplication: (application?: string) =>
      setQuery(q => ({ ...q, application, page: 0 })),
  };
}
