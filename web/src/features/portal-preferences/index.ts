export { PreferencesPage as default } from './PreferencesPage.tsx';
