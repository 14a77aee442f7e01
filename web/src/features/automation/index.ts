export { default } from './AutomationPage.tsx';
