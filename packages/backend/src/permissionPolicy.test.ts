import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  praevisioReleaseDeployPermission,
  praevisioReleaseReadPermission,
  praevisioAuditReadPermission,
} from '@praevisio/backstage-plugin-common';
import { PraevisioPortalPolicy } from './permissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-payments'],
  },
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-payments'],
  },
  token: 'token',
  credentials: {} as any,
};

describe('PraevisioPortalPolicy', () => {
  const policy = new PraevisioPortalPolicy();

  it('lets every signed-in user read', async () => {
    await expect(
      policy.handle({ permission: praevisioReleaseReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: praevisioAuditReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('limits mutations to owners of the entity through a catalog condition', async () => {
    const decision = await policy.handle(
      { permission: praevisioReleaseDeployPermission },
      user,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/team-payments'],
        },
      },
    });
  });

  it('denies Praevisio permissions without a user', async () => {
    await expect(
      policy.handle({ permission: praevisioReleaseDeployPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: praevisioReleaseReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
