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
    /** The Releases tab: how Argo CD state is cached and deployments followed. */
    releases?: {
      /**
       * Seconds an entity's Argo CD state is served from the per-replica
       * cache before it is read again. Viewers share one read, so Argo CD
       * calls grow with entities viewed, not with viewers. Default 10.
       */
      cacheTtlSeconds?: number;
      /** Entities nobody viewed for this many seconds leave the cache. Default 300. */
      cacheIdleSeconds?: number;
      /**
       * Seconds between reconciler passes, which follow open deployments in
       * Argo CD (one replica at a time). Default 5.
       */
      reconcileIntervalSeconds?: number;
      /**
       * A deployment that shows no progress for this many minutes fails
       * (never one paused for a human decision). Default 30.
       */
      stuckAfterMinutes?: number;
    };
    /** Quality gates, canary analysis and automatic progressive delivery. */
    gates?: {
      /**
       * Seconds a Rollout pause step (CanaryPauseStep, BlueGreenPause) must
       * last before the gate and canary analysis judge it; the analysis
       * window is pause start → now. Default 60.
       */
      analysisWindowSeconds?: number;
      /** Seconds between canary samples (range query step). Default 10. */
      canaryStepSeconds?: number;
      /** rate() window (`$DURATION_SECONDS`) of each canary sample. Default 60. */
      canaryRateWindowSeconds?: number;
      /** Timeout of each SLI query in seconds. Default 30. */
      queryTimeoutSeconds?: number;
      /**
       * How long to wait for a Keptn evaluation (`praevisio.io/gate-provider:
       * keptn`) before it counts as errored. Default 60.
       */
      keptnEvaluationTimeoutSeconds?: number;
    };
    prometheus?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        bearerToken?: string;
        /**
         * Queries in flight at once against this Prometheus. Default 20
         * (Prometheus' own --query.max-concurrency), so a gate's SLI queries
         * run in one wave.
         */
        maxConcurrentQueries?: number;
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
