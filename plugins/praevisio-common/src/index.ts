/**
 * Common types, permissions, annotations and pure logic for Praevisio Ops.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './canonicalJson';
export * from './entity';
export * from './permissions';
export * from './types';
export * from './gates';
export * from './canary';
export * from './releases';
export * from './sli';
export * from './gatesApi';
