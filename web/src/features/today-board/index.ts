export { default } from './TodayBoardPage.tsx';
