export { default } from './FindPatientPage.tsx';
