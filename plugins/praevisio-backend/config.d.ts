export interface Config {
  /** Praevisio Ops. Every integration is optional; the UI says which is missing. */
  praevisio?: {
    /**
     * Environments in promotion order, e.g. dev → staging → prod. An Argo CD
     * application's environment comes from its `praevisio.io/environment`
     * label, else from the first rule matching its destination.
     */
    environments?: Array<{
      name: string;
      /** Destination namespace pattern (glob, `*` wildcard). */
      namespacePattern?: string;
      /** Destination cluster name or server URL pattern (glob). */
      clusterPattern?: string;
    }>;
    argocd?: {
      instances: Array<{
        name: string;
        /** API base URL, e.g. https://argocd.example.com */
        url: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        /** Where people open the Argo CD UI; defaults to url. */
        frontendUrl?: string;
      }>;
    };
    prometheus?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        bearerToken?: string;
      }>;
    };
    alertmanager?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        bearerToken?: string;
      }>;
    };
    keptn?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        apiToken: string;
      }>;
    };
    kubernetes?: {
      clusters: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        serviceAccountToken?: string;
      }>;
    };
  };
}
