/**
 * Development tools (the /dev pages and the development message transport): on only with an
 * explicit DEV_TOOLS=1, never with an https ORIGIN. See platform/config.ts.
 */
export { devToolsEnabled } from './platform/config';
