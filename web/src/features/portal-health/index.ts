export { HealthPage as default } from './HealthPage.tsx';
