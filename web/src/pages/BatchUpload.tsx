import { useState, type FormEvent } from 'react';
import { AssetSelect, Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { defaultAsset, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { checkBatchFile } from '../lib/batch';
import type { Batch } from '../../../libs/contract/src';

const FORMAT_HINT =
  'A header row, then one payout per row: recipient (email or user id), amount (integer, minor units), optional reference. Up to 100,000 rows or 10 MiB.';

export function BatchUpload({ onStarted }: { onStarted: (batch: Batch) => void }) {
  const { assets } = useApp();
  const [asset, setAsset] = useState(() => defaultAsset(assets));
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const post = useIdempotentPost<Batch>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkBatchFile(file);
    setFileError(problem);
    if (problem || !file) return;
    const form = new FormData();
    form.set('asset', asset);
    form.set('file', file, file.name);
    const fingerprint = JSON.stringify([asset, file.name, file.size, file.lastModified]);
    const result = await post.submit('/batches', form, fingerprint);
    if (result?.ok) onStarted(result.data);
  }

  return (
    <section className="panel" aria-labelledby="batch-upload-title">
      <h2 id="batch-upload-title">Upload a payout file</h2>
      <form noValidate onSubmit={onSubmit} data-testid="batch-form">
        <AssetSelect value={asset} onChange={(value) => { setAsset(value); post.clear(); }} />
        <Field label="CSV file" hint={FORMAT_HINT} error={fileError}>
          {(wiring) => (
            <input {...wiring} type="file" name="file" accept=".csv,text/csv" onChange={(e) => { setFile(e.target.files?.[0] ?? null); post.clear(); }} />
          )}
        </Field>
        <button type="submit" disabled={post.pending}>
          {post.pending ? 'Uploading…' : 'Start payouts'}
        </button>
      </form>
      {post.result && !post.result.ok && <ProblemAlert failure={post.result} asset={asset} />}
    </section>
  );
}
