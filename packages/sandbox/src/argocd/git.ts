import { ArgoApiError } from './errors';
import type { RevisionMetadata } from './types';
import { isCommitSha } from './util';

export interface CommitInfo {
  revision: string;
  author: string;
  message: string;
  /** RFC 3339. */
  date: string;
  tags?: string[];
}

interface StoredCommit extends CommitInfo {
  /** Source paths whose manifests this commit changed. */
  paths: Set<string>;
}

/**
 * A minimal model of the Git repositories behind applications: an ordered
 * commit log per repoURL, where each commit records which app paths it
 * touched. That is enough to answer revision metadata, resolve branch names,
 * and tell whether two revisions render the same manifests for a path —
 * which is how Argo CD decides Synced vs OutOfSync.
 */
export class GitRepositories {
  private readonly repos = new Map<string, StoredCommit[]>();

  /** Appends a commit (or merges paths into an existing one with the same SHA). */
  addCommit(repoURL: string, path: string, commit: CommitInfo): void {
    const log = this.repos.get(repoURL) ?? [];
    this.repos.set(repoURL, log);
    const existing = log.find(c => c.revision === commit.revision);
    if (existing) {
      existing.paths.add(path);
      return;
    }
    log.push({ ...commit, paths: new Set([path]) });
  }

  /** Seeds may arrive in any order; keep the log ordered by commit date. */
  sortByDate(): void {
    for (const log of this.repos.values()) {
      log.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    }
  }

  head(repoURL: string): string | undefined {
    const log = this.repos.get(repoURL);
    return log?.[log.length - 1]?.revision;
  }

  has(repoURL: string, revision: string): boolean {
    return this.index(repoURL, revision) >= 0;
  }

  /**
   * The repo-server's ResolveRevision: commit SHAs pass through untouched
   * (they are checked only when manifests are generated), branch-like names
   * resolve to the head, tags to their commit.
   */
  resolve(repoURL: string, ambiguous: string, branch: string): string {
    if (isCommitSha(ambiguous)) {
      return ambiguous.toLowerCase();
    }
    const log = this.repos.get(repoURL) ?? [];
    if (ambiguous === 'HEAD' || ambiguous === branch || ambiguous === '') {
      const head = this.head(repoURL);
      if (head) {
        return head;
      }
    }
    const tagged = [...log].reverse().find(c => c.tags?.includes(ambiguous));
    if (tagged) {
      return tagged.revision;
    }
    throw new ArgoApiError(
      'FailedPrecondition',
      `error resolving repo revision: rpc error: code = Unknown desc = Unable to resolve '${ambiguous}' to a commit SHA`,
    );
  }

  /**
   * The commit that last changed `path` at or before `revision`: two
   * revisions with the same manifest revision render identical manifests.
   */
  manifestRevision(
    repoURL: string,
    path: string,
    revision: string,
  ): string | undefined {
    const log = this.repos.get(repoURL) ?? [];
    const at = this.index(repoURL, revision);
    for (let i = at; i >= 0; i--) {
      if (log[i].paths.has(path)) {
        return log[i].revision;
      }
    }
    return undefined;
  }

  metadata(repoURL: string, revision: string): RevisionMetadata {
    const log = this.repos.get(repoURL) ?? [];
    const commit = log[this.index(repoURL, revision)];
    if (!commit) {
      // The repo-server's git error surfaces as a plain (codes.Unknown) error.
      throw new ArgoApiError(
        'Unknown',
        `rpc error: code = Unknown desc = unable to get revision metadata for ${revision}: revision not found`,
      );
    }
    return {
      author: commit.author,
      date: commit.date,
      message: commit.message,
      ...(commit.tags?.length ? { tags: [...commit.tags] } : {}),
    };
  }

  private index(repoURL: string, revision: string): number {
    const log = this.repos.get(repoURL) ?? [];
    const wanted = revision.toLowerCase();
    return log.findIndex(c => c.revision === wanted);
  }
}
