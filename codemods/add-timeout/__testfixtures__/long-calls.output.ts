// One default deadline would cut these off, so add-timeout leaves them for a deadline chosen by
// hand (or by the rule's `deadlines` option): byte for byte unchanged.
export const maxDuration = 300;

export async function complete(prompt: string) {
  const res = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ prompt }) });
  return res.json();
}

export async function upload(presignedUrl: string, file: Blob) {
  await fetch(presignedUrl, { method: 'PUT', body: file });
}

export async function relay(body: ReadableStream<Uint8Array>) {
  return fetch('https://ingest.example.com/events', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

export async function localAgent(path: string) {
  return fetch(`http://127.0.0.1:8787${path}`);
}

export async function report() {
  // The route declares a 300 s run.
  return fetch('https://reports.example.com/export');
}
