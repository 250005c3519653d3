import { useEffect, useState } from 'react';
import { withTimeout } from '@resilience-kit/policies';

export function Status({ url }: { url: string }) {
  const [ok, setOk] = useState(false);
  useEffect(() => {
    withTimeout(10_000, (signal) => fetch(url, { signal })).then((r) => setOk(r.ok));
  }, [url]);
  return <span>{ok ? 'up' : 'down'}</span>;
}
