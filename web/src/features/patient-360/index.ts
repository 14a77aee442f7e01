export { default } from './Patient360Page.tsx';
