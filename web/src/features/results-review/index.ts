export { default } from './ResultsReviewPage.tsx';
