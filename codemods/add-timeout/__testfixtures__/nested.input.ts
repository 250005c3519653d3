export async function chained(a: string) {
  // The outer call awaits the inner one in its arguments: only the inner one is wrapped.
  return fetch(await fetch(a).then((r) => r.text()));
}
