import { useState } from 'react';
import { PageHeading } from '../components/PageHeading';
import type { Batch } from '../../../libs/contract/src';
import { BatchTracker } from './BatchTracker';
import { BatchUpload } from './BatchUpload';

export function BatchesPage() {
  const [batch, setBatch] = useState<Batch | null>(null);
  return (
    <>
      <PageHeading>Batch payouts</PageHeading>
      <BatchUpload onStarted={setBatch} />
      {batch && <BatchTracker key={batch.id} initial={batch} />}
    </>
  );
}
