export { EnvironmentCards } from './EnvironmentCards';
export type { EnvironmentCardsProps } from './EnvironmentCards';
