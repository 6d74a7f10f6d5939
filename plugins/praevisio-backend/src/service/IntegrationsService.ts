import { RootConfigService } from '@backstage/backend-plugin-api';
import { IntegrationStatus } from '@praevisio/backstage-plugin-common';

const HOW_TO_CONFIGURE: Record<IntegrationStatus['name'], string> = {
  argocd:
    'Add praevisio.argocd.instances[] with name, url and token (or username and password) to app-config.yaml.',
  prometheus:
    'Add praevisio.prometheus.instances[] with name and url to app-config.yaml; entities pick one with the prometheus.io/service-name annotation.',
  alertmanager:
    'Add praevisio.alertmanager.instances[] with name and url to app-config.yaml.',
  keptn:
    'Add praevisio.keptn.instances[] with name, url and apiToken to app-config.yaml (Keptn v1 installations only).',
  kubernetes:
    'Add praevisio.kubernetes.clusters[] with name, url and serviceAccountToken to app-config.yaml to read Velero backups.',
};

/**
 * Tells which upstream integrations are configured. Only instance names leave
 * this service: URLs and credentials stay on the server.
 */
export class IntegrationsService {
  static create(options: { config: RootConfigService }) {
    return new IntegrationsService(options.config);
  }

  private constructor(private readonly config: RootConfigService) {}

  status(): IntegrationStatus[] {
    return (Object.keys(HOW_TO_CONFIGURE) as IntegrationStatus['name'][]).map(
      name => {
        const key = name === 'kubernetes' ? 'clusters' : 'instances';
        const instances = (
          this.config.getOptionalConfigArray(`praevisio.${name}.${key}`) ?? []
        ).map(c => c.getString('name'));
        return {
          name,
          configured: instances.length > 0,
          instances,
          howToConfigure: HOW_TO_CONFIGURE[name],
        };
      },
    );
  }
}
