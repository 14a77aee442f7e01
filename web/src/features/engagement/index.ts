export { default } from './EngagementPage.tsx';
