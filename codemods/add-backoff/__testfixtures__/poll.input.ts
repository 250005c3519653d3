import pRetry from 'p-retry';

declare function checkLoginCode(code: string): Promise<boolean>;

// A poll, not a retry: once a second for at most 5 minutes, as the login page promises. Growing or
// randomising the interval would stretch that window. Refused, byte for byte.
export async function waitForLogin(code: string) {
  return pRetry(async () => {
    if (!(await checkLoginCode(code))) throw new Error('not yet');
  }, { factor: 1, retries: 300, minTimeout: 1000 });
}
