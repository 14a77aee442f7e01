export { default } from './WorklistsPage.tsx';
