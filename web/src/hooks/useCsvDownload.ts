import { useEffect, useState } from 'react';

/** UTF-8 byte order mark, so spreadsheet apps read the file as UTF-8. */
const BOM = '\uFEFF';

/** An object URL for the CSV text (null while there is none); revoked when the text changes. */
export function useCsvDownload(csv: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (csv === null) return;
    const next = URL.createObjectURL(new Blob([BOM + csv], { type: 'text/csv;charset=utf-8' }));
    setUrl(next);
    return () => {
      URL.revokeObjectURL(next);
      setUrl(null);
    };
  }, [csv]);
  return url;
}
