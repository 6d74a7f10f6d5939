import { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import { renderHook, waitFor } from '@testing-library/react';
import { praevisioApiRef } from '../api/PraevisioApi';
import {
  makeEntity,
  makeGateEvaluation,
  makeGatesOverview,
  mockPraevisioApi,
  responseError,
} from '../components/Releases/__testUtils__/fixtures';
import { useGates } from './useGates';

function wrapperFor(api: ReturnType<typeof mockPraevisioApi>) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[praevisioApiRef, api as any]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useGates', () => {
  it('loads the gates overview of the entity', async () => {
    const overview = makeGatesOverview({ evaluations: [makeGateEvaluation()] });
    const api = mockPraevisioApi({ getGates: jest.fn(async () => overview) });
    const { result } = renderHook(() => useGates(makeEntity()), {
      wrapper: wrapperFor(api),
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.overview).toEqual(overview);
    expect(result.current.unavailable).toBe(false);
    expect(api.getGates).toHaveBeenCalledWith('component:default/payments');
  });

  it('treats a 404 as a backend without gates, not as an error', async () => {
    const api = mockPraevisioApi({
      getGates: jest.fn(async () => {
        throw await responseError(404, 'Not found', 'NotFoundError');
      }),
    });
    const { result } = renderHook(() => useGates(makeEntity()), {
      wrapper: wrapperFor(api),
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.unavailable).toBe(true);
    expect(result.current.error).toBeUndefined();
  });

  it('reports other failures and keeps the last overview', async () => {
    const overview = makeGatesOverview({ evaluations: [makeGateEvaluation()] });
    const api = mockPraevisioApi({ getGates: jest.fn(async () => overview) });
    const { result, rerender } = renderHook(
      ({ key }: { key: number }) => useGates(makeEntity(), { refreshKey: key }),
      { wrapper: wrapperFor(api), initialProps: { key: 1 } },
    );
    await waitFor(() => expect(result.current.overview).toEqual(overview));

    api.getGates.mockRejectedValueOnce(
      await responseError(500, 'boom', 'Error'),
    );
    rerender({ key: 2 });
    await waitFor(() => expect(result.current.error).toBeDefined());
    expect(api.getGates).toHaveBeenCalledTimes(2);
    expect(result.current.overview).toEqual(overview);
  });
});
