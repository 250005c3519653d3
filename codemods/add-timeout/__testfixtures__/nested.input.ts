export async function chained(a: string) {
  return fetch(await fetch(a).then((r) => r.text()));
}
