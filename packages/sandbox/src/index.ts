/**
 * Praevisio Ops sandbox: simulators for demos, local development and tests.
 * Never imported by plugins' production code.
 *
 * @packageDocumentation
 */
export * from './argocd';
export * from './keptn';
export * from './workloads';
export { createProgram, main } from './cli';
export { startControlServer } from './control';
