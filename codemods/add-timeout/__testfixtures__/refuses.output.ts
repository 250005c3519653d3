import axios from 'axios';

// A local `withTimeout` already exists: importing ours would shadow it, so the codemod refuses.
function withTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return Promise.race([fn(), new Promise<T>((_, reject) => setTimeout(() => reject(new Error('t')), ms))]);
}

export const a = (u: string) => axios.get(u);
export const b = (u: string) => withTimeout(10, () => fetch(u));
