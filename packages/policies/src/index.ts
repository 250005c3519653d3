export { TimeoutError, withTimeout } from './timeout.ts';
