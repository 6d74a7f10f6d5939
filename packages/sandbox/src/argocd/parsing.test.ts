import { applyJsonPatch, applyMergePatch } from './jsonPatch';
import { LabelSelector } from './labelSelector';
import { parseDurationSeconds } from './util';

describe('LabelSelector', () => {
  const labels = { env: 'prod', team: 'payments', tier: '3' };

  it.each([
    ['', true],
    ['env=prod', true],
    ['env==prod', true],
    ['env!=prod', false],
    ['missing!=x', true],
    ['env in (dev, prod)', true],
    ['env notin (dev,prod)', false],
    ['team,env=prod', true],
    ['!team', false],
    ['!missing', true],
    ['tier>2', true],
    ['tier<2', false],
    ['example.com/owner', false],
  ])('%s → %s', (selector, expected) => {
    expect(LabelSelector.parse(selector).matches(labels)).toBe(expected);
  });

  it.each(['a in (b', 'env=prod=', 'bad key=1', 'tier>two'])(
    'rejects %s',
    selector => {
      expect(() => LabelSelector.parse(selector)).toThrow();
    },
  );
});

describe('patches', () => {
  const app = {
    spec: { syncPolicy: { automated: { prune: true } }, list: [1, 2] },
  };

  it('applies RFC 7386 merge patches (null deletes)', () => {
    expect(
      applyMergePatch(app, { spec: { syncPolicy: { automated: null } } }),
    ).toEqual({
      spec: { syncPolicy: {}, list: [1, 2] },
    });
  });

  it('applies RFC 6902 JSON patches without touching the input', () => {
    const out = applyJsonPatch(app, [
      { op: 'remove', path: '/spec/syncPolicy/automated' },
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'replace', path: '/spec/list/0', value: 0 },
      { op: 'test', path: '/spec/list/1', value: 2 },
    ]);
    expect(out).toEqual({ spec: { syncPolicy: {}, list: [0, 2, 3] } });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true });
    expect(() =>
      applyJsonPatch(app, [{ op: 'test', path: '/spec/list/0', value: 9 }]),
    ).toThrow();
    expect(() =>
      applyJsonPatch(app, [{ op: 'remove', path: '/nope/x' }]),
    ).toThrow();
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    [30, 30],
    ['45', 45],
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s → %s', (input, expected) => {
    expect(parseDurationSeconds(input as string | number | undefined)).toBe(
      expected,
    );
  });
});
