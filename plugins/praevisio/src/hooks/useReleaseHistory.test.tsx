import { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { praevisioApiRef } from '../api/PraevisioApi';
import { mockPraevisioApi } from '../components/Releases/__testUtils__/fixtures';
import { useReleaseHistory } from './useReleaseHistory';

const REF = 'component:default/payments';

describe('useReleaseHistory', () => {
  it('goes back to the first page when the application filter changes', async () => {
    const api = mockPraevisioApi();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[praevisioApiRef, api as any]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(() => useReleaseHistory(REF), { wrapper });
    await waitFor(() => expect(result.current.value?.page).toBe(0));

    act(() => result.current.setPage(2));
    await waitFor(() => expect(result.current.value?.page).toBe(2));

    act(() => result.current.setApplication('payments-prod'));
    await waitFor(() =>
      expect(api.getReleaseHistory).toHaveBeenLastCalledWith(REF, {
        application: 'payments-prod',
        page: 0,
        pageSize: 10,
      }),
    );
  });
});
