import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { praevisioApiRef } from '../api/PraevisioApi';

/** Loads which upstream integrations the backend has configured. */
export function useIntegrations() {
  const api = useApi(praevisioApiRef);
  return useAsync(() => api.getIntegrations(), [api]);
}
