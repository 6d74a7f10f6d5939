import { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { praevisioApiRef } from '../api/PraevisioApi';
import {
  canaryRollout,
  makeDeployment,
  makeEntity,
  makeEnvironment,
  makeOverview,
  mockPraevisioApi,
} from '../components/Releases/__testUtils__/fixtures';
import { isReleaseInProgress, useReleases } from './useReleases';

function wrapperFor(api: ReturnType<typeof mockPraevisioApi>) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[praevisioApiRef, api as any]]}>
      {children}
    </TestApiProvider>
  );
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('isReleaseInProgress', () => {
  it('is idle when everything is settled', () => {
    expect(
      isReleaseInProgress(makeOverview({ environments: [makeEnvironment()] }), [
        makeDeployment(),
      ]),
    ).toBe(false);
  });

  it.each([
    [
      'a non-terminal deployment',
      makeOverview({ environments: [makeEnvironment()] }),
      [makeDeployment({ state: 'analysing' })],
    ],
    [
      'a running Argo CD operation',
      makeOverview({
        environments: [makeEnvironment({ operationPhase: 'Running' })],
      }),
      [],
    ],
    [
      'a paused canary',
      makeOverview({
        environments: [makeEnvironment({ rollout: canaryRollout() })],
      }),
      [],
    ],
  ])('is in progress with %s', (_what, overview, deployments) => {
    expect(isReleaseInProgress(overview, deployments)).toBe(true);
  });

  it('does not count an aborted rollout as moving', () => {
    const overview = makeOverview({
      environments: [
        makeEnvironment({ rollout: canaryRollout({ aborted: true }) }),
      ],
    });
    expect(isReleaseInProgress(overview, [])).toBe(false);
  });
});

describe('useReleases', () => {
  it('re-reads on an interval while a rollout is in progress', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () =>
        makeOverview({
          environments: [makeEnvironment({ rollout: canaryRollout() })],
        }),
      ),
    });
    const { result } = renderHook(
      () => useReleases(makeEntity(), { pollIntervalMs: 20 }),
      { wrapper: wrapperFor(api) },
    );
    await waitFor(() => expect(result.current.inProgress).toBe(true));
    await waitFor(() =>
      expect(api.getReleases.mock.calls.length).toBeGreaterThanOrEqual(3),
    );
    expect(api.getDeployments.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('stops polling once nothing is in progress', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () =>
        makeOverview({ environments: [makeEnvironment()] }),
      ),
    });
    const { result } = renderHook(
      () => useReleases(makeEntity(), { pollIntervalMs: 20 }),
      { wrapper: wrapperFor(api) },
    );
    await waitFor(() => expect(result.current.overview).toBeDefined());
    await sleep(150);
    expect(api.getReleases).toHaveBeenCalledTimes(1);
    expect(result.current.inProgress).toBe(false);
  });

  it('keeps the last overview when a refresh fails', async () => {
    const api = mockPraevisioApi();
    const { result } = renderHook(() => useReleases(makeEntity()), {
      wrapper: wrapperFor(api),
    });
    await waitFor(() => expect(result.current.overview).toBeDefined());
    api.getReleases.mockRejectedValueOnce(new Error('gateway timeout'));
    await act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('gateway timeout'),
    );
    expect(result.current.overview?.environments).toHaveLength(2);
  });

  it('shows the overview even when deployments fail to load', async () => {
    const api = mockPraevisioApi({
      getDeployments: jest.fn(async () => {
        throw new Error('no deployments table');
      }),
    });
    const { result } = renderHook(() => useReleases(makeEntity()), {
      wrapper: wrapperFor(api),
    });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.overview).toBeDefined();
    expect(result.current.error).toBeUndefined();
    expect(result.current.deploymentsError?.message).toBe(
      'no deployments table',
    );
  });
});
