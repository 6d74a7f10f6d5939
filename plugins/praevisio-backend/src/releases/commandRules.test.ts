import {
  ArgoCdInputError,
  ArgoCdOperationInProgressError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '@praevisio/backstage-plugin-node';
import {
  certainlyNotApplied,
  commandKindOf,
  requestHash,
} from './commandRules';

describe('certainlyNotApplied', () => {
  const details = { instance: 'main', status: 400, upstreamMessage: 'x' };

  it.each([
    [
      'an open circuit',
      new UpstreamUnavailableError('m', 'argocd', 'circuit-open'),
    ],
    ['a full queue', new UpstreamUnavailableError('m', 'argocd', 'overloaded')],
    [
      'a 503 from Argo CD',
      new UpstreamUnavailableError('m', 'argocd', 'http-status', 503),
    ],
    ['an Argo CD refusal', new ArgoCdOperationInProgressError('m', details)],
    ['invalid input', new ArgoCdInputError('m', details)],
    ['a 500 answer', new UpstreamResponseError('m', 'argocd', 500)],
  ])('knows nothing happened after %s', (_, error) => {
    expect(certainlyNotApplied(error)).toBe(true);
  });

  it.each([
    ['a timeout', new UpstreamUnavailableError('m', 'argocd', 'timeout')],
    [
      'a dropped connection',
      new UpstreamUnavailableError('m', 'argocd', 'network'),
    ],
    [
      'a gateway timeout',
      new UpstreamUnavailableError('m', 'argocd', 'http-status', 504),
    ],
    ['an unreadable 200 answer', new UpstreamResponseError('m', 'argocd', 200)],
    ['anything else', new Error('boom')],
  ])('cannot tell after %s', (_, error) => {
    expect(certainlyNotApplied(error)).toBe(false);
  });
});

describe('command identity', () => {
  it('names the kind of each request', () => {
    expect(
      commandKindOf({ type: 'rollback', historyId: 1, disableAutoSync: true }),
    ).toBe('disable-auto-sync-and-rollback');
    expect(commandKindOf({ type: 'rollout', action: 'promote-full' })).toBe(
      'promote-full',
    );
  });

  it('hashes equal requests equally and different bodies differently', () => {
    const a = requestHash('component:default/shop', 'shop-dev', {
      type: 'sync',
    });
    expect(
      requestHash('component:default/shop', 'shop-dev', {
        type: 'sync',
        revision: undefined,
      }),
    ).toBe(a);
    expect(
      requestHash('component:default/shop', 'shop-dev', {
        type: 'sync',
        revision: 'abc',
      }),
    ).not.toBe(a);
    expect(
      requestHash('component:default/shop', 'shop-prod', { type: 'sync' }),
    ).not.toBe(a);
  });
});
