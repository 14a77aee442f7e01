export { default } from './IntegrationPage.tsx';
