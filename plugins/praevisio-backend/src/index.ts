/**
 * Praevisio Ops backend plugin.
 *
 * @packageDocumentation
 */
export { praevisioPlugin as default } from './plugin';
export {
  computeAuditHash,
  DatabaseAuditLog,
  type AuditAppendInput,
  type AuditLog,
  type AuditSeverity,
} from './audit/AuditLog';
