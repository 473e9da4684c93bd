import pageScript from '../scripts/page-bootstrap.js?raw';
import { contentSecurityPolicy } from '../utils/content-security-policy';

/** The one inline script every page carries (theme, copy buttons, keyboard shortcuts). */
export { pageScript };

/** The policy for a page's <meta http-equiv="Content-Security-Policy">. */
export const metaContentSecurityPolicy = contentSecurityPolicy([pageScript], 'meta');
