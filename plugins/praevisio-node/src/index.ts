/**
 * Node library for Praevisio Ops: extension points for adopters' modules and
 * the clients of the upstream systems.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './registry';
export * from './http';
export * from './argocd';
export * from './prometheus';
export * from './keptn';
