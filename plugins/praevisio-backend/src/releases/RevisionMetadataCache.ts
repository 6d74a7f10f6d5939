import { ArgoCdClient } from '@praevisio/backstage-plugin-node';
import { SingleFlight } from './SingleFlight';

/** Author and message of a commit. */
export interface CommitInfo {
  author?: string;
  message?: string;
}

const DEFAULT_MAX_ENTRIES = 20_000;

/**
 * Commit metadata of history entries, fetched only when a history page shows
 * them. A revision's metadata never changes, so it is kept for good (up to a
 * bound, oldest dropped first); a failed lookup is not repeated for
 * `retryAfterMs`, so that an outage does not turn every page view into calls.
 */
export class RevisionMetadataCache {
  private readonly found = new Map<string, CommitInfo>();
  private readonly failedAt = new Map<string, number>();
  private readonly flights = new SingleFlight<CommitInfo | undefined>();

  static create(options: {
    retryAfterMs: number;
    clock?: () => number;
    maxEntries?: number;
  }): RevisionMetadataCache {
    return new RevisionMetadataCache(
      options.retryAfterMs,
      options.clock ?? (() => Date.now()),
      options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    );
  }

  private constructor(
    private readonly retryAfterMs: number,
    private readonly clock: () => number,
    private readonly maxEntries: number,
  ) {}

  async get(
    client: ArgoCdClient,
    ref: { application: string; project?: string; revision: string },
  ): Promise<CommitInfo | undefined> {
    const key = `${client.instanceName}\n${ref.application}\n${ref.revision}`;
    const cached = this.found.get(key);
    if (cached) {
      return cached;
    }
    const failed = this.failedAt.get(key);
    if (failed !== undefined && this.clock() - failed < this.retryAfterMs) {
      return undefined;
    }
    return this.flights.run(key, async () => {
      try {
        const metadata = await client.getRevisionMetadata(
          ref.application,
          ref.revision,
          { project: ref.project },
        );
        const info: CommitInfo = {
          ...(metadata.author ? { author: metadata.author } : {}),
          ...(metadata.message ? { message: metadata.message } : {}),
        };
        this.remember(key, info);
        return info;
      } catch {
        // History still shows without author and message.
        if (this.failedAt.size >= this.maxEntries) {
          this.failedAt.clear();
        }
        this.failedAt.set(key, this.clock());
        return undefined;
      }
    });
  }

  private remember(key: string, info: CommitInfo): void {
    this.failedAt.delete(key);
    this.found.set(key, info);
    if (this.found.size > this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.found.delete(this.found.keys().next().value!);
    }
  }
}
