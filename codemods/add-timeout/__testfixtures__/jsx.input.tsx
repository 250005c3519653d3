import { useEffect, useState } from 'react';

export function Status({ url }: { url: string }) {
  const [ok, setOk] = useState(false);
  useEffect(() => {
    fetch(url).then((r) => setOk(r.ok));
  }, [url]);
  return <span>{ok ? 'up' : 'down'}</span>;
}
