import { readFile } from 'node:fs/promises';

export async function loadProfile(userId: string) {
  const res = await fetch(`https://api.example.com/users/${userId}`);
  return res.json();
}

export async function postEvent(body: unknown) {
  // Already bounded: left alone.
  await fetch('https://events.example.com', { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(2000) });
  // Its body awaits a file read: inside the callback, that would count against the deadline. Refused.
  return fetch('https://audit.example.com', { method: 'POST', body: await readFile('/tmp/x', 'utf8') });
}
