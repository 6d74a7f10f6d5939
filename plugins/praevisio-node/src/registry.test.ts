import { ProviderRegistry } from './registry';

describe('ProviderRegistry', () => {
  it('keeps providers in registration order and finds them by id', () => {
    const registry = new ProviderRegistry<{ id: string; n: number }>(
      'backup provider',
    );
    registry.add({ id: 'velero', n: 1 }, { id: 'cnpg', n: 2 });
    expect(registry.list().map(p => p.id)).toEqual(['velero', 'cnpg']);
    expect(registry.get('cnpg')?.n).toBe(2);
    expect(registry.get('missing')).toBeUndefined();
  });

  it('refuses a second provider with the same id', () => {
    const registry = new ProviderRegistry<{ id: string }>('backup provider');
    registry.add({ id: 'velero' });
    expect(() => registry.add({ id: 'velero' })).toThrow(
      "A backup provider with id 'velero' is already registered",
    );
  });
});
