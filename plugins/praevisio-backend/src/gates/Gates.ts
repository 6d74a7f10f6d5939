import {
  AuditorService,
  AuthService,
  LoggerService,
  RootConfigService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GatesOverviewDto } from '@praevisio/backstage-plugin-common';
import {
  KeptnClientRegistry,
  PrometheusClientRegistry,
} from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { AuditLog } from '../audit/AuditLog';
import { Releases } from '../releases/Releases';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { GateDecisionStore } from './GateDecisionStore';
import { GateEvaluationService } from './GateEvaluationService';
import { GateEvaluationStore } from './GateEvaluationStore';
import { KeptnGateProvider, KeptnTriggerStore } from './KeptnGateProvider';
import { ProgressiveDelivery } from './ProgressiveDelivery';
import { SloSource } from './SloSource';

/** `praevisio.gates` with defaults applied. */
export interface GatesSettings {
  analysisWindowSeconds: number;
  canaryStepSeconds: number;
  canaryRateWindowSeconds: number;
  queryTimeoutSeconds: number;
  keptnEvaluationTimeoutSeconds: number;
}

export function readGatesSettings(config: RootConfigService): GatesSettings {
  const positive = (key: string, fallback: number) => {
    const value =
      config.getOptionalNumber(`praevisio.gates.${key}`) ?? fallback;
    if (!(value > 0)) {
      throw new InputError(
        `praevisio.gates.${key} must be a positive number, got ${value}`,
      );
    }
    return value;
  };
  return {
    analysisWindowSeconds: positive('analysisWindowSeconds', 60),
    canaryStepSeconds: positive('canaryStepSeconds', 10),
    canaryRateWindowSeconds: positive('canaryRateWindowSeconds', 60),
    queryTimeoutSeconds: positive('queryTimeoutSeconds', 30),
    keptnEvaluationTimeoutSeconds: positive(
      'keptnEvaluationTimeoutSeconds',
      60,
    ),
  };
}

export interface GatesOptions {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  auditLog: AuditLog;
  /** Backstage's auditor, for the automation's events. */
  auditor?: AuditorService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  auth: AuthService;
  releases: Releases;
  /** Defaults to the configured Prometheus instances. */
  prometheus?: PrometheusClientRegistry;
  /** Defaults to the configured Keptn instances. */
  keptn?: KeptnClientRegistry;
  /** Pause between polls of Keptn's datastore (tests). Default 1000. */
  keptnPollMs?: number;
}

/**
 * Quality gates, canary analysis and automatic progressive delivery wired
 * together; hooks the automation into the releases reconciler when a
 * Prometheus or a Keptn is configured (without Prometheus, no canary
 * analysis runs).
 */
export class Gates {
  readonly evaluations: GateEvaluationService;
  readonly canary: CanaryAnalysisService;
  readonly decisions: GateDecisionStore;
  readonly automation?: ProgressiveDelivery;
  readonly settings: GatesSettings;

  static create(options: GatesOptions): Gates {
    return new Gates(options);
  }

  private constructor(options: GatesOptions) {
    const { config, logger, knex, auditLog } = options;
    this.settings = readGatesSettings(config);
    const prometheus =
      options.prometheus ??
      PrometheusClientRegistry.fromConfig(config, {
        logger: logger.child({ upstream: 'prometheus' }),
      });
    const keptn =
      options.keptn ??
      KeptnClientRegistry.fromConfig(config, {
        logger: logger.child({ upstream: 'keptn' }),
      });
    const sloSource = new SloSource(options.urlReader);
    const queryTimeoutMs = this.settings.queryTimeoutSeconds * 1000;
    this.evaluations = new GateEvaluationService({
      store: new GateEvaluationStore(knex),
      sloSource,
      prometheus,
      keptn: keptn.isConfigured
        ? new KeptnGateProvider({
            keptn,
            triggers: new KeptnTriggerStore(knex),
            timeoutMs: this.settings.keptnEvaluationTimeoutSeconds * 1000,
            pollMs: options.keptnPollMs,
          })
        : undefined,
      auditLog,
      queryTimeoutMs,
    });
    this.canary = new CanaryAnalysisService({
      knex,
      sloSource,
      stepSeconds: this.settings.canaryStepSeconds,
      rateWindowSeconds: this.settings.canaryRateWindowSeconds,
      queryTimeoutMs,
    });
    this.decisions = new GateDecisionStore(knex);
    if (prometheus.isConfigured || keptn.isConfigured) {
      this.automation = new ProgressiveDelivery({
        gates: this.evaluations,
        canary: this.canary,
        decisions: this.decisions,
        commands: options.releases.commands,
        deployments: options.releases.store,
        catalog: options.catalog,
        auth: options.auth,
        auditLog,
        auditor: options.auditor,
        logger,
        analysisWindowMs: this.settings.analysisWindowSeconds * 1000,
      });
      options.releases.reconciler.setPauseAutomation(this.automation);
      options.releases.commands.setPromotionGuard(this.automation);
    }
  }

  async overview(entity: Entity): Promise<GatesOverviewDto> {
    const entityRef = stringifyEntityRef(entity);
    const overview: GatesOverviewDto = {
      evaluations: await this.evaluations.list(entity),
      canaryAnalyses: await this.canary.list(entityRef),
      decisions: await this.decisions.list(entityRef),
    };
    return overview;
  }
}
