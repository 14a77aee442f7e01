export { default } from './DuplicateReviewPage.tsx';
