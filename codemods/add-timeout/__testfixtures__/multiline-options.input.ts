// Prettier's `trailingComma: "none"`: the last option has no comma after it.
export async function save(url: string, body: string) {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body
  });
  return res.ok;
}

export async function saveWithComment(url: string, body: string) {
  return fetch(url, {
    method: 'PUT',
    body // the serialised draft
  });
}
