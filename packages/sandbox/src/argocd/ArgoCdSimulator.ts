import type { Server } from 'node:http';
import type { SeedApplication } from './application';
import { Authenticator, SimulatorToken, SimulatorUser } from './auth';
import { ApplicationController } from './controller';
import { createHttpServer, listen } from './http';
import { RolloutWorkload } from './rollouts';
import { buildRouter } from './routes';
import { ApplicationStore } from './store';
import type { Application } from './types';
import { formatTime } from './util';
import type { LiveResource } from './workload';

export interface ArgoCdSimulatorOptions {
  applications?: SeedApplication[];
  /** Delay added to every response, to make upstream cost visible. */
  latencyMs?: number;
  /** Local accounts for `POST /api/v1/session`; default admin/admin. */
  users?: SimulatorUser[];
  /** Pre-issued bearer tokens (strings get full access). */
  tokens?: Array<string | SimulatorToken>;
  clock?: () => Date;
  /** Controller period for demos; 0 disables the timer (use `advance()`). Default 2000. */
  tickMs?: number;
  /** Argo CD version to impersonate; before v3.1 there is no actions/v2. Default v3.5.1. */
  version?: string;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
}

export interface SimulatorStats {
  requestCount: number;
  /** Per `METHOD /path/{template}` (unmatched paths as `METHOD <unmatched>`). */
  byRoute: Record<string, number>;
}

/**
 * An in-process Argo CD API server (with Argo Rollouts) for tests and demos.
 * It speaks the real REST paths and JSON shapes, reproduces the quirks
 * clients trip over, and lets tests drive the controller step by step.
 */
export class ArgoCdSimulator {
  private readonly store: ApplicationStore;
  private readonly controller: ApplicationController;
  private readonly clock: () => Date;
  private readonly latencyMs: number;
  private readonly tickMs: number;
  private readonly host: string;
  private readonly server: Server;
  private timer?: NodeJS.Timeout;
  private available = true;
  private counts = new Map<string, number>();

  static create(options: ArgoCdSimulatorOptions = {}): ArgoCdSimulator {
    return new ArgoCdSimulator(options);
  }

  private constructor(options: ArgoCdSimulatorOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.latencyMs = options.latencyMs ?? 0;
    this.tickMs = options.tickMs ?? 2000;
    this.host = options.host ?? '127.0.0.1';
    this.store = new ApplicationStore(this.clock);
    for (const seed of options.applications ?? []) {
      this.store.add(seed);
    }
    this.controller = new ApplicationController(this.store, this.clock);
    const auth = new Authenticator({
      users: options.users,
      tokens: options.tokens,
      clock: this.clock,
    });
    const router = buildRouter({
      store: this.store,
      controller: this.controller,
      auth,
      version: options.version ?? 'v3.5.1',
      clock: this.clock,
    });
    this.server = createHttpServer({
      router,
      latencyMs: () => this.latencyMs,
      isAvailable: () => this.available,
      onRequest: key => this.counts.set(key, (this.counts.get(key) ?? 0) + 1),
    });
  }

  /** Listens on `port` (0 = any free port) and starts the controller timer. */
  async start(port = 0): Promise<{ url: string }> {
    const bound = await listen(this.server, port, this.host);
    if (this.tickMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.advance(), this.tickMs);
      // Demos keep the process alive through the server, not the timer.
      this.timer.unref();
    }
    return { url: `http://${this.host}:${bound}` };
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (!this.server.listening) {
      return;
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close(err => (err ? reject(err) : resolve())),
    );
  }

  /** Total requests received (including rejected ones). */
  get requestCount(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  stats(): SimulatorStats {
    return {
      requestCount: this.requestCount,
      byRoute: Object.fromEntries([...this.counts.entries()].sort()),
    };
  }

  resetStats(): void {
    this.counts = new Map();
  }

  /**
   * Runs `times` controller passes. Each pass moves every app at most one
   * observable step: a queued sync starts (Running), a running one finishes,
   * a workload progresses one rollout step, auto-sync queues work.
   */
  advance(times = 1): void {
    for (let i = 0; i < times; i++) {
      this.controller.advance();
    }
  }

  /** The next sync of `appName` ends in phase Failed. */
  failNextSync(appName: string): void {
    this.store.require(appName).failNextSync = true;
  }

  /** The next step AnalysisRun of `appName`'s Rollout fails and aborts it. */
  failNextAnalysis(appName: string): void {
    const workload = this.store.require(appName).workload;
    if (!(workload instanceof RolloutWorkload)) {
      throw new Error(`${appName} does not run a Rollout`);
    }
    workload.failNextAnalysis();
  }

  /** While false, every request answers 503 Unavailable. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  /**
   * A new commit changing `appName`'s manifests lands on its repo's default
   * branch; apps tracking HEAD become OutOfSync and auto-sync picks it up.
   */
  pushRevision(
    appName: string,
    revision: string,
    commit: { author: string; message: string; date?: Date; tags?: string[] },
  ): void {
    const record = this.store.require(appName);
    this.store.git.addCommit(record.source.repoURL, record.source.path ?? '', {
      revision: revision.toLowerCase(),
      author: commit.author,
      message: commit.message,
      date: formatTime(commit.date ?? this.clock()),
      ...(commit.tags ? { tags: commit.tags } : {}),
    });
    for (const other of this.store.all()) {
      if (other.source.repoURL === record.source.repoURL) {
        this.store.refresh(other);
      }
    }
  }

  /** A snapshot of an application as the API would serve it. */
  application(name: string): Application | undefined {
    const record = this.store.find(name);
    return record ? this.store.view(record) : undefined;
  }

  applicationNames(): string[] {
    return this.store.all().map(r => r.name);
  }

  /**
   * The live objects of `appName`'s workload as the cluster holds them now
   * (Rollout or Deployment, ReplicaSets, Pods, AnalysisRuns, Services),
   * built fresh on each call. Unlike the HTTP API this is not counted in
   * `stats()`, not delayed by `latencyMs` and still answers while the
   * simulator is unavailable: pods keep serving when Argo CD is down.
   */
  liveResources(appName: string): LiveResource[] | undefined {
    return this.store.find(appName)?.workload.resources();
  }
}
