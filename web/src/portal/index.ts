export { PortalApp as default } from './PortalApp.tsx';
