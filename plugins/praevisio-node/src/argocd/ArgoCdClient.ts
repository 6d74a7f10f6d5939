import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  Clock,
  encodePathSegment,
  QueryValue,
  SecretScrubber,
  UpstreamHttpClient,
  UpstreamHttpClientOptions,
  UpstreamResponse,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../http';
import {
  ArgoCdAuthenticationError,
  ArgoCdAutoSyncEnabledError,
  ArgoCdConflictError,
  ArgoCdErrorDetails,
  ArgoCdForbiddenError,
  ArgoCdInputError,
  ArgoCdNotFoundError,
  ArgoCdOperationInProgressError,
} from './errors';
import {
  Application,
  KubernetesObject,
  ResourceIdentifier,
  ResourceTree,
  RevisionMetadata,
  Rollout,
  RolloutAction,
  SyncOperationResource,
} from './types';

/** One configured Argo CD instance (`praevisio.argocd.instances[]`). @public */
export interface ArgoCdInstanceConfig {
  name: string;
  /** API base URL, e.g. https://argocd.example.com */
  url: string;
  /** A long-lived API token (account token). Exclusive with username/password. */
  token?: string;
  /** A local account; the client logs in through `POST /api/v1/session`. */
  username?: string;
  password?: string;
  /** Where people open the Argo CD UI; defaults to `url`. */
  frontendUrl?: string;
}

/** Tuning of the outbound HTTP behaviour; defaults suit production. @public */
export type ArgoCdHttpOptions = Omit<
  UpstreamHttpClientOptions,
  'name' | 'baseUrl' | 'headers' | 'secrets' | 'scrubber' | 'logger'
>;

/** @public */
export interface ArgoCdClientOptions {
  instance: ArgoCdInstanceConfig;
  logger?: LoggerService;
  http?: ArgoCdHttpOptions;
}

/** Options every call accepts. @public */
export interface ArgoCdCallOptions {
  /** Cancels the call (e.g. when the incoming request closes). */
  signal?: AbortSignal;
}

/**
 * Naming the project lets Argo CD tell "not found" (404) from "forbidden"
 * (403); without it both answer 403.
 *
 * @public
 */
export interface ArgoCdAppScope extends ArgoCdCallOptions {
  project?: string;
  /** For applications outside the control-plane namespace ("apps in any namespace"). */
  appNamespace?: string;
}

/** @public */
export interface ListApplicationsOptions extends ArgoCdCallOptions {
  /** Label selector, e.g. `backstage.io/kubernetes-id=shop`. */
  selector?: string;
  projects?: string[];
  appNamespace?: string;
  repo?: string;
}

/** @public */
export interface GetApplicationOptions extends ArgoCdAppScope {
  /** Ask Argo CD to reconcile before answering. */
  refresh?: 'normal' | 'hard';
}

/** @public */
export interface GetRevisionMetadataOptions extends ArgoCdAppScope {
  /** For multi-source applications. */
  sourceIndex?: number;
  versionId?: number;
}

/** @public */
export interface SyncOptions extends ArgoCdAppScope {
  /** Git revision or chart version; defaults to the spec's target revision. */
  revision?: string;
  dryRun?: boolean;
  prune?: boolean;
  /** e.g. `['ApplyOutOfSyncOnly=true']` */
  syncOptions?: string[];
  /** Sync only these resources. */
  resources?: SyncOperationResource[];
}

/** @public */
export interface RollbackOptions extends ArgoCdAppScope {
  /** `status.history[].id` of the revision to go back to. */
  id: number;
  dryRun?: boolean;
  prune?: boolean;
}

/** @public */
export interface SetAutoSyncOptions extends ArgoCdAppScope {
  /** When enabling: delete resources no longer in Git. Left as is when undefined. */
  prune?: boolean;
  /** When enabling: revert drift in the cluster. Left as is when undefined. */
  selfHeal?: boolean;
}

/** @public */
export interface ResourceActionOptions
  extends ResourceIdentifier,
    ArgoCdAppScope {
  action: string;
  /** Only Argo CD 3.1+ (actions v2) takes parameters. */
  parameters?: Array<{ name: string; value: string }>;
}

/** @public */
export interface RolloutActionOptions extends ArgoCdAppScope {
  namespace: string;
  resourceName: string;
  action: RolloutAction;
}

/** Whether the application syncs automatically (3.x may keep `automated` with `enabled: false`). @public */
export function isAutoSyncEnabled(app: Application): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return !!automated && automated.enabled !== false;
}

interface CallContext {
  /** "sync application 'shop'": completes "Argo CD '<instance>' refused to …". */
  action: string;
  projectGiven: boolean;
}

interface ArgoCdRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  idempotent?: boolean;
  signal?: AbortSignal;
}

interface SessionToken {
  value: string;
  /** Epoch ms from the JWT `exp` claim, if readable. */
  expiresAt?: number;
}

const OPERATION_IN_PROGRESS = /another operation is already in progress/i;
const AUTO_SYNC_ENABLED =
  /rollback cannot be initiated when auto-sync is enabled/i;
/** Renew a session token this long before it expires, to avoid a 401 round trip. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;
const MAX_UPSTREAM_MESSAGE = 1000;
const APPS = '/api/v1/applications';

/**
 * Client for one Argo CD instance's REST API (grpc-gateway, v2.14 to v3.x).
 *
 * Calls go through {@link UpstreamHttpClient} (timeouts, retries for reads
 * only, circuit breaker, concurrency cap, secret scrubbing). Upstream errors
 * become typed errors that keep Argo CD's message for the UI.
 *
 * @public
 */
export class ArgoCdClient {
  readonly instanceName: string;
  private readonly instance: ArgoCdInstanceConfig;
  private readonly http: UpstreamHttpClient;
  private readonly scrubber: SecretScrubber;
  private readonly clock: Clock;
  private readonly logger?: LoggerService;

  private session?: SessionToken;
  private pendingLogin?: Promise<SessionToken>;
  /** Learnt on the first action call: older servers only have the v1 action route. */
  private actionsV2: 'unknown' | 'supported' | 'missing' = 'unknown';

  static create(options: ArgoCdClientOptions): ArgoCdClient {
    return new ArgoCdClient(options);
  }

  constructor(options: ArgoCdClientOptions) {
    const { instance } = options;
    validateInstance(instance);
    this.instance = instance;
    this.instanceName = instance.name;
    this.logger = options.logger;
    this.clock = options.http?.clock ?? { now: () => Date.now() };
    this.scrubber = new SecretScrubber([instance.token, instance.password]);
    this.http = UpstreamHttpClient.create({
      ...options.http,
      name: `argocd:${instance.name}`,
      baseUrl: instance.url,
      scrubber: this.scrubber,
      logger: options.logger,
    });
  }

  /** The circuit breaker state, for health and status pages. */
  get circuitState() {
    return this.http.breaker.state;
  }

  /** Link to the application in the Argo CD UI. */
  applicationWebUrl(name: string, appNamespace?: string): string {
    const base = (this.instance.frontendUrl ?? this.instance.url).replace(
      /\/+$/,
      '',
    );
    const ns = appNamespace ? `${encodeURIComponent(appNamespace)}/` : '';
    return `${base}/applications/${ns}${encodeURIComponent(name)}`;
  }

  /** `GET /api/v1/applications` */
  async listApplications(
    options: ListApplicationsOptions = {},
  ): Promise<Application[]> {
    const list = await this.json<{ items?: Application[] | null }>(
      {
        method: 'GET',
        path: APPS,
        query: {
          selector: options.selector,
          projects: options.projects,
          appNamespace: options.appNamespace,
          repo: options.repo,
        },
        signal: options.signal,
      },
      { action: 'list applications', projectGiven: !!options.projects?.length },
    );
    return list.items ?? []; // Argo CD sends null for an empty list
  }

  /** `GET /api/v1/applications/{name}` */
  async getApplication(
    name: string,
    options: GetApplicationOptions = {},
  ): Promise<Application> {
    return this.json<Application>(
      {
        method: 'GET',
        path: appPath(name),
        // `project` (the legacy name of `projects`) is understood by every version.
        query: {
          project: options.project,
          appNamespace: options.appNamespace,
          refresh: options.refresh,
        },
        signal: options.signal,
      },
      this.context(`get application '${name}'`, options),
    );
  }

  /** `GET /api/v1/applications/{applicationName}/resource-tree` */
  async getResourceTree(
    name: string,
    options: ArgoCdAppScope = {},
  ): Promise<ResourceTree> {
    const tree = await this.json<ResourceTree>(
      {
        method: 'GET',
        path: `${appPath(name)}/resource-tree`,
        query: { project: options.project, appNamespace: options.appNamespace },
        signal: options.signal,
      },
      this.context(`get the resource tree of application '${name}'`, options),
    );
    return { ...tree, nodes: tree.nodes ?? [] };
  }

  /**
   * `GET /api/v1/applications/{name}/resource`: the live manifest of one
   * resource, parsed.
   */
  async getResource<T extends KubernetesObject = KubernetesObject>(
    name: string,
    resource: ResourceIdentifier & ArgoCdAppScope,
  ): Promise<T> {
    const action = `get ${resource.kind} '${resource.namespace}/${resource.resourceName}' of application '${name}'`;
    const answer = await this.json<{ manifest?: string }>(
      {
        method: 'GET',
        path: `${appPath(name)}/resource`,
        query: {
          ...resourceQuery(resource),
          project: resource.project,
          appNamespace: resource.appNamespace,
        },
        signal: resource.signal,
      },
      this.context(action, resource),
    );
    if (typeof answer.manifest !== 'string') {
      throw new UpstreamResponseError(
        `Argo CD '${this.instanceName}' answered without a manifest to ${action}`,
        this.http.name,
        200,
      );
    }
    try {
      return JSON.parse(answer.manifest) as T;
    } catch {
      throw new UpstreamResponseError(
        `Argo CD '${this.instanceName}' answered a manifest that is not JSON to ${action}`,
        this.http.name,
        200,
      );
    }
  }

  /** The live Argo Rollouts `Rollout` managed by the application. */
  async getRollout(
    name: string,
    options: { namespace: string; resourceName: string } & ArgoCdAppScope,
  ): Promise<Rollout> {
    return this.getResource<Rollout>(name, {
      ...options,
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
    });
  }

  /** `GET /api/v1/applications/{name}/revisions/{revision}/metadata` */
  async getRevisionMetadata(
    name: string,
    revision: string,
    options: GetRevisionMetadataOptions = {},
  ): Promise<RevisionMetadata> {
    return this.json<RevisionMetadata>(
      {
        method: 'GET',
        path: `${appPath(name)}/revisions/${encodePathSegment(
          revision,
          'revision',
        )}/metadata`,
        query: {
          project: options.project,
          appNamespace: options.appNamespace,
          sourceIndex: options.sourceIndex,
          versionId: options.versionId,
        },
        signal: options.signal,
      },
      this.context(
        `get metadata of revision '${revision}' of application '${name}'`,
        options,
      ),
    );
  }

  /**
   * `POST /api/v1/applications/{name}/sync`. Never retried: a lost answer does
   * not mean the sync did not start.
   *
   * @throws ArgoCdOperationInProgressError - another operation is running
   */
  async sync(name: string, options: SyncOptions = {}): Promise<Application> {
    return this.json<Application>(
      {
        method: 'POST',
        path: `${appPath(name)}/sync`,
        body: {
          name,
          revision: options.revision,
          dryRun: options.dryRun,
          prune: options.prune,
          resources: options.resources,
          syncOptions: options.syncOptions
            ? { items: options.syncOptions }
            : undefined,
          project: options.project,
          appNamespace: options.appNamespace,
        },
        signal: options.signal,
      },
      this.context(`sync application '${name}'`, options),
    );
  }

  /**
   * `POST /api/v1/applications/{name}/rollback` to `status.history[].id`.
   *
   * @throws ArgoCdAutoSyncEnabledError - auto-sync must be disabled first
   * @throws ArgoCdOperationInProgressError - another operation is running
   */
  async rollback(name: string, options: RollbackOptions): Promise<Application> {
    if (!Number.isSafeInteger(options.id) || options.id < 0) {
      throw new InputError(`Invalid history id '${options.id}' for rollback`);
    }
    return this.json<Application>(
      {
        method: 'POST',
        path: `${appPath(name)}/rollback`,
        body: {
          name,
          id: options.id,
          dryRun: options.dryRun,
          prune: options.prune,
          project: options.project,
          appNamespace: options.appNamespace,
        },
        signal: options.signal,
      },
      this.context(
        `roll back application '${name}' to history id ${options.id}`,
        options,
      ),
    );
  }

  /**
   * Turns automated sync on or off with `PATCH /api/v1/applications/{name}`
   * (`patchType: merge` on `spec.syncPolicy.automated`). A merge patch leaves
   * the rest of the spec alone, unlike `PUT .../spec`, and repeating it is
   * harmless, so it is retried like a read.
   */
  async setAutoSync(
    name: string,
    enabled: boolean,
    options: SetAutoSyncOptions = {},
  ): Promise<Application> {
    // null removes the key (RFC 7386); `enabled` is ignored by servers before 3.0.
    const automated = enabled
      ? { enabled: true, prune: options.prune, selfHeal: options.selfHeal }
      : null;
    return this.json<Application>(
      {
        method: 'PATCH',
        path: appPath(name),
        body: {
          name,
          patchType: 'merge',
          patch: JSON.stringify({ spec: { syncPolicy: { automated } } }),
          project: options.project,
          appNamespace: options.appNamespace,
        },
        idempotent: true,
        signal: options.signal,
      },
      this.context(
        `${enabled ? 'enable' : 'disable'} auto-sync of application '${name}'`,
        options,
      ),
    );
  }

  /**
   * Runs a resource action (e.g. a Rollout's `resume`). Uses
   * `POST .../resource/actions/v2` (Argo CD 3.1+) and falls back to the
   * deprecated `POST .../resource/actions` when the server lacks v2, which it
   * then remembers.
   */
  async runResourceAction(
    name: string,
    options: ResourceActionOptions,
  ): Promise<void> {
    const context = this.context(
      `run action '${options.action}' on ${options.kind} '${options.namespace}/${options.resourceName}' of application '${name}'`,
      options,
    );
    if (this.actionsV2 !== 'missing') {
      const v2 = await this.send({
        method: 'POST',
        path: `${appPath(name)}/resource/actions/v2`,
        body: {
          name,
          namespace: options.namespace,
          resourceName: options.resourceName,
          group: options.group,
          version: options.version,
          kind: options.kind,
          action: options.action,
          resourceActionParameters: options.parameters,
          project: options.project,
          appNamespace: options.appNamespace,
        },
        signal: options.signal,
      });
      const routeMissing = v2.status === 404 || v2.status === 405;
      if (!routeMissing || this.actionsV2 === 'supported') {
        this.expectOk(v2, context);
        // Only success proves the route: a proxy's 503 says nothing about it.
        this.actionsV2 = 'supported';
        return;
      }
    }

    if (options.parameters?.length) {
      throw new InputError(
        `Argo CD '${this.instanceName}' has no resource actions v2 (3.1+), so action parameters cannot be passed`,
      );
    }
    const v1 = await this.send({
      method: 'POST',
      path: `${appPath(name)}/resource/actions`,
      query: {
        ...resourceQuery(options),
        project: options.project,
        appNamespace: options.appNamespace,
      },
      // The v1 body is the action name as a JSON string literal, e.g. "resume".
      body: options.action,
      signal: options.signal,
    });
    // A 404 on both routes is a missing application or resource, which says
    // nothing about v2 support; only remember when v1 proves the route exists.
    if (
      this.actionsV2 === 'unknown' &&
      v1.status !== 404 &&
      v1.status !== 405
    ) {
      this.actionsV2 = 'missing';
      this.logger?.info(
        `Argo CD '${this.instanceName}' has no resource actions v2; using the v1 route from now on`,
      );
    }
    this.expectOk(v1, context);
  }

  /** Runs a built-in Argo Rollouts action through {@link ArgoCdClient.runResourceAction}. */
  async runRolloutAction(
    name: string,
    options: RolloutActionOptions,
  ): Promise<void> {
    return this.runResourceAction(name, {
      ...options,
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
    });
  }

  private context(action: string, scope: { project?: string }): CallContext {
    return { action, projectGiven: !!scope.project };
  }

  private async json<T>(
    request: ArgoCdRequest,
    context: CallContext,
  ): Promise<T> {
    const response = await this.send(request);
    this.expectOk(response, context);
    return response.json<T>();
  }

  /** Sends with credentials; on 401 with a session, logs in again and repeats once. */
  private async send(request: ArgoCdRequest): Promise<UpstreamResponse> {
    const token = await this.bearerToken();
    const response = await this.http.request(withAuth(request, token));
    if (response.status !== 401 || !this.usesSession()) {
      return response;
    }
    // A 401 means Argo CD did not run the call, so repeating even a POST is safe.
    if (this.session?.value === token) {
      this.session = undefined;
    }
    const renewed = await this.bearerToken();
    return this.http.request(withAuth(request, renewed));
  }

  private usesSession(): boolean {
    return !this.instance.token && !!this.instance.username;
  }

  private async bearerToken(): Promise<string | undefined> {
    if (this.instance.token) {
      return this.instance.token;
    }
    if (!this.usesSession()) {
      return undefined; // anonymous access
    }
    const session = this.session;
    if (
      session &&
      (session.expiresAt === undefined ||
        session.expiresAt - RENEW_BEFORE_EXPIRY_MS > this.clock.now())
    ) {
      return session.value;
    }
    // Single flight: concurrent callers share one login.
    if (!this.pendingLogin) {
      this.pendingLogin = this.login().finally(() => {
        this.pendingLogin = undefined;
      });
    }
    return (await this.pendingLogin).value;
  }

  /** `POST /api/v1/session` with the configured local account. */
  private async login(): Promise<SessionToken> {
    const context: CallContext = {
      action: `log in as '${this.instance.username}'`,
      projectGiven: false,
    };
    const response = await this.http.request({
      method: 'POST',
      path: '/api/v1/session',
      body: {
        username: this.instance.username,
        password: this.instance.password,
      },
      // Creating a session has no side effect worth protecting.
      idempotent: true,
    });
    this.expectOk(response, context);
    const { token } = response.json<{ token?: unknown }>();
    if (typeof token !== 'string' || !token) {
      throw new UpstreamResponseError(
        `Argo CD '${this.instanceName}' answered the login without a token`,
        this.http.name,
        response.status,
      );
    }
    this.scrubber.add(token);
    this.session = { value: token, expiresAt: jwtExpiry(token) };
    this.logger?.debug(`Logged in to Argo CD '${this.instanceName}'`);
    return this.session;
  }

  private expectOk(response: UpstreamResponse, context: CallContext): void {
    if (!response.ok) {
      throw this.toError(response, context);
    }
  }

  /** Maps a grpc-gateway error answer `{error, code, message, details}` to a typed error. */
  private toError(response: UpstreamResponse, context: CallContext): Error {
    let body: { error?: unknown; code?: unknown; message?: unknown } = {};
    try {
      const parsed = JSON.parse(response.text);
      if (parsed && typeof parsed === 'object') {
        body = parsed;
      }
    } catch {
      // not JSON: a proxy's HTML page, for instance; use the text below
    }
    const raw =
      (typeof body.message === 'string' && body.message) ||
      (typeof body.error === 'string' && body.error) ||
      response.text.trim() ||
      `HTTP ${response.status}`;
    // Scrub before truncating: a cut could leave half a secret unrecognisable.
    const scrubbed = this.scrubber.scrub(raw);
    const upstreamMessage =
      scrubbed.length > MAX_UPSTREAM_MESSAGE
        ? `${scrubbed.slice(0, MAX_UPSTREAM_MESSAGE)}…`
        : scrubbed;
    const details: ArgoCdErrorDetails = {
      instance: this.instanceName,
      status: response.status,
      grpcCode: typeof body.code === 'number' ? body.code : undefined,
      upstreamMessage,
    };
    const message = this.scrubber.scrub(
      `Argo CD '${this.instanceName}' refused to ${context.action}: ${upstreamMessage}`,
    );
    const status = response.status;

    if (status >= 400 && status < 500) {
      if (OPERATION_IN_PROGRESS.test(upstreamMessage)) {
        return new ArgoCdOperationInProgressError(message, details);
      }
      if (AUTO_SYNC_ENABLED.test(upstreamMessage)) {
        return new ArgoCdAutoSyncEnabledError(message, details);
      }
    }
    switch (status) {
      case 400:
        return new ArgoCdInputError(message, details);
      case 401:
        return new ArgoCdAuthenticationError(message, details);
      case 403:
        return context.projectGiven
          ? new ArgoCdForbiddenError(message, details)
          : new ArgoCdNotFoundError(
              this.scrubber.scrub(
                `Argo CD '${this.instanceName}' refused to ${context.action}: not found or not permitted (${upstreamMessage})`,
              ),
              details,
            );
      case 404:
        return new ArgoCdNotFoundError(message, details);
      case 409:
        return new ArgoCdConflictError(message, details);
      case 429:
      case 502:
      case 503:
      case 504:
        return new UpstreamUnavailableError(
          message,
          this.http.name,
          'http-status',
          status,
        );
      default:
        return new UpstreamResponseError(message, this.http.name, status);
    }
  }
}

function validateInstance(instance: ArgoCdInstanceConfig): void {
  if (!instance.name) {
    throw new InputError('Argo CD instance without a name');
  }
  if (instance.token && (instance.username || instance.password)) {
    throw new InputError(
      `Argo CD instance '${instance.name}': configure either token or username and password, not both`,
    );
  }
  if (!!instance.username !== !!instance.password) {
    throw new InputError(
      `Argo CD instance '${instance.name}': username and password go together`,
    );
  }
}

function appPath(name: string): string {
  return `${APPS}/${encodePathSegment(name, 'application name')}`;
}

function resourceQuery(resource: ResourceIdentifier): Record<string, string> {
  return {
    namespace: resource.namespace,
    resourceName: resource.resourceName,
    group: resource.group,
    version: resource.version,
    kind: resource.kind,
  };
}

function withAuth(request: ArgoCdRequest, token: string | undefined) {
  return {
    ...request,
    headers: token ? { authorization: `Bearer ${token}` } : undefined,
  };
}

/** Reads `exp` from a JWT without verifying it; Argo CD verifies, we only plan renewal. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) {
    return undefined;
  }
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
