import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import {
  AUDIT_GENESIS_HASH,
  AuditEvent,
  AuditVerifyResult,
  canonicalJson,
} from '@praevisio/backstage-plugin-common';

const TABLE = 'praevisio_audit_events';
/** Arbitrary constant key for pg_advisory_xact_lock, unique to this table. */
const PG_APPEND_LOCK_KEY = 7_463_201_119;
const VERIFY_PAGE_SIZE = 1000;

/** @public */
export type AuditSeverity = AuditEvent['severity'];

/** @public */
export interface AuditAppendInput {
  actor: string;
  action: string;
  entityRef?: string;
  severity: AuditSeverity;
  details: Record<string, unknown>;
}

/** Append-only, hash-chained audit log (DESIGN §7). @public */
export interface AuditLog {
  append(input: AuditAppendInput): Promise<AuditEvent>;
  list(options: {
    entityRef?: string;
    afterSeq?: number;
    limit?: number;
  }): Promise<AuditEvent[]>;
  verify(options?: {
    fromSeq?: number;
    limit?: number;
  }): Promise<AuditVerifyResult>;
}

interface AuditRow {
  seq: number | string;
  occurred_at: string;
  actor: string;
  action: string;
  entity_ref: string | null;
  severity: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * The hash of one event: SHA-256 over the previous hash followed by the
 * RFC 8785 canonical JSON of the event's content. Exported so that exports and
 * the CLI can verify a chain without the database.
 * @public
 */
export function computeAuditHash(
  prevHash: string,
  event: Omit<AuditEvent, 'prevHash' | 'hash'>,
): string {
  const content = canonicalJson({
    seq: event.seq,
    occurredAt: event.occurredAt,
    actor: event.actor,
    action: event.action,
    entityRef: event.entityRef ?? null,
    severity: event.severity,
    details: event.details,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    severity: row.severity as AuditSeverity,
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** knex implementation; safe with several replicas on one PostgreSQL. @public */
export class DatabaseAuditLog implements AuditLog {
  static create(options: { knex: Knex; clock?: () => Date }): DatabaseAuditLog {
    return new DatabaseAuditLog(
      options.knex,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date,
  ) {}

  async append(input: AuditAppendInput): Promise<AuditEvent> {
    return this.knex.transaction(async tx => {
      // Serialize appenders across pools and replicas. SQLite already
      // serializes write transactions on its single connection.
      if (this.isPostgres()) {
        await tx.raw('SELECT pg_advisory_xact_lock(?)', [PG_APPEND_LOCK_KEY]);
      }
      const last = await tx<AuditRow>(TABLE)
        .orderBy('seq', 'desc')
        .first('seq', 'hash');
      const seq = last ? Number(last.seq) + 1 : 1;
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      const content = {
        seq,
        occurredAt: this.clock().toISOString(),
        actor: input.actor,
        action: input.action,
        ...(input.entityRef ? { entityRef: input.entityRef } : {}),
        severity: input.severity,
        // Round-trip through canonical JSON so what is stored is exactly what
        // was hashed (drops undefined, rejects NaN).
        details: JSON.parse(canonicalJson(input.details)),
      };
      const hash = computeAuditHash(prevHash, content);
      await tx(TABLE).insert({
        seq,
        occurred_at: content.occurredAt,
        actor: content.actor,
        action: content.action,
        entity_ref: input.entityRef ?? null,
        severity: content.severity,
        details: canonicalJson(content.details),
        prev_hash: prevHash,
        hash,
      });
      return { ...content, prevHash, hash };
    });
  }

  async list(options: {
    entityRef?: string;
    afterSeq?: number;
    limit?: number;
  }): Promise<AuditEvent[]> {
    const query = this.knex<AuditRow>(TABLE)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq', 'asc')
      .limit(options.limit ?? 100);
    if (options.entityRef) {
      query.where('entity_ref', options.entityRef);
    }
    return (await query).map(toEvent);
  }

  async verify(
    options: { fromSeq?: number; limit?: number } = {},
  ): Promise<AuditVerifyResult> {
    const fromSeq = options.fromSeq ?? 1;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    let prevHash = AUDIT_GENESIS_HASH;
    if (fromSeq > 1) {
      const anchor = await this.knex<AuditRow>(TABLE)
        .where('seq', fromSeq - 1)
        .first('hash');
      if (!anchor) {
        return this.broken(
          fromSeq,
          0,
          fromSeq - 1,
          AUDIT_GENESIS_HASH,
          'missing_event',
        );
      }
      prevHash = anchor.hash;
    }

    let expectedSeq = fromSeq;
    let checked = 0;
    while (checked < limit) {
      const rows: AuditRow[] = await this.knex<AuditRow>(TABLE)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq', 'asc')
        .limit(Math.min(VERIFY_PAGE_SIZE, limit - checked));
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) {
          return this.broken(
            fromSeq,
            checked,
            expectedSeq - 1,
            prevHash,
            'missing_event',
            expectedSeq,
          );
        }
        if (row.prev_hash !== prevHash) {
          return this.broken(
            fromSeq,
            checked,
            seq - 1,
            prevHash,
            'prev_hash_mismatch',
            seq,
          );
        }
        if (rowHash(row) !== row.hash) {
          return this.broken(
            fromSeq,
            checked,
            seq - 1,
            prevHash,
            'hash_mismatch',
            seq,
          );
        }
        prevHash = row.hash;
        expectedSeq = seq + 1;
        checked += 1;
      }
    }
    return {
      ok: true,
      checked,
      fromSeq,
      lastSeq: expectedSeq - 1,
      headHash: prevHash,
    };
  }

  private broken(
    fromSeq: number,
    checked: number,
    lastSeq: number,
    headHash: string,
    reason: NonNullable<AuditVerifyResult['reason']>,
    firstBadSeq: number = lastSeq,
  ): AuditVerifyResult {
    return {
      ok: false,
      checked,
      fromSeq,
      lastSeq,
      headHash,
      firstBadSeq,
      reason,
    };
  }

  private isPostgres() {
    return this.knex.client.config.client === 'pg';
  }
}

/** Recomputes a stored row's hash; unreadable details count as tampering. */
function rowHash(row: AuditRow): string | undefined {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details);
  } catch {
    return undefined;
  }
  return computeAuditHash(row.prev_hash, {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    entityRef: row.entity_ref ?? undefined,
    severity: row.severity as AuditSeverity,
    details,
  });
}
