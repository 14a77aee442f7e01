export { default } from './KpisPage.tsx';
