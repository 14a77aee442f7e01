export { default } from './JourneyMapPage.tsx';
