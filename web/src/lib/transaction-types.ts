import type { TransactionType } from '../../../libs/contract/src';

/** Every transaction type, in the order the history filter lists them (declared once, in libs/contract). */
export { TRANSACTION_TYPES } from '../../../libs/contract/src';

export const TRANSACTION_TYPE_LABELS: Record<TransactionType, string> = {
  TRANSFER: 'Transfer',
  SPEND: 'Spend',
  WITHDRAWAL: 'Withdrawal',
  TOP_UP: 'Top-up',
  BONUS: 'Bonus',
  REVERSAL: 'Reversal',
  BATCH_PAYOUT: 'Batch payout',
  MULTI_LEG: 'Split payment',
  EXCHANGE: 'Exchange',
  HOLD: 'Hold',
  HOLD_CAPTURE: 'Hold captured',
  HOLD_RELEASE: 'Hold released',
};
