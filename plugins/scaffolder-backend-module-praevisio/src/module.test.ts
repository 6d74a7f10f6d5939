import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { scaffolderModulePraevisio } from './module';

describe('scaffolderModulePraevisio', () => {
  it('registers on the scaffolder and adds its actions', async () => {
    const added: unknown[] = [];
    const fakeScaffolder = createBackendPlugin({
      pluginId: 'scaffolder',
      register(env) {
        env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
          addActions: (...actions: unknown[]) => added.push(...actions),
        } as any);
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    await startTestBackend({
      features: [fakeScaffolder, scaffolderModulePraevisio],
    });
    // No actions yet: this proves the module is wired to the scaffolder's
    // extension point; later issues assert on the actions' ids.
    expect(added).toEqual([]);
  });
});
