/**
 * Scaffolder actions for Praevisio Ops.
 *
 * @packageDocumentation
 */
export { scaffolderModulePraevisio as default } from './module';
export { createPraevisioActions } from './module';
