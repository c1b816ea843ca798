import { parseAmount } from './money';
import type { Transaction } from '../../../libs/contract/src';

export type RecipientField = 'toEmail' | 'userId';

export interface MovementValues {
  asset: string;
  amount: string;
  recipient: string;
  description: string;
}

export type MovementErrors = Partial<Record<keyof MovementValues, string>>;

export type MovementBody = Record<string, string | number>;

export type MovementCheck = { ok: true; body: MovementBody } | { ok: false; errors: MovementErrors };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function recipientError(field: RecipientField, value: string): string | undefined {
  if (value === '') return field === 'toEmail' ? 'Enter the recipient’s email.' : 'Enter the user id.';
  if (field === 'toEmail' && !EMAIL.test(value)) return 'Enter an email address like name@example.com.';
  if (field === 'userId' && !UUID.test(value)) return 'A user id looks like 3f2b8c1e-….';
  return undefined;
}

/**
 * Validates a money form and builds the request body. `scale` is undefined when the
 * asset is unknown; `recipientField` names the body field of the recipient, if any.
 */
export function checkMovement(values: MovementValues, scale: number | undefined, recipientField?: RecipientField): MovementCheck {
  const errors: MovementErrors = {};
  const body: MovementBody = { asset: values.asset };
  if (scale === undefined) errors.asset = 'Choose an asset.';
  const amount = parseAmount(values.amount, scale ?? 0);
  if (amount.ok) body.amount = amount.minor;
  else errors.amount = amount.error;
  if (recipientField) {
    const recipient = values.recipient.trim();
    const problem = recipientError(recipientField, recipient);
    if (problem) errors.recipient = problem;
    body[recipientField] = recipient;
  }
  const description = values.description.trim();
  if (description) body.description = description;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}

export type ReversalErrors = Partial<Record<'transactionId' | 'reason', string>>;

export function checkReversal(transactionId: string, reason: string): ReversalErrors {
  const errors: ReversalErrors = {};
  if (!UUID.test(transactionId.trim())) errors.transactionId = 'Enter the id of the transaction to reverse.';
  if (reason.trim() === '') errors.reason = 'Say why it is reversed.';
  return errors;
}

/**
 * What a transaction did to the caller: the net of the postings that touch their wallets,
 * in the asset of the first one (a one-posting transaction: its amount, out when they paid).
 */
export function callerNet(tx: Transaction, userId: string): { outgoing: boolean; amount: number; asset: string } {
  const mine = tx.postings.filter((p) => p.from.userId === userId || p.to.userId === userId);
  const asset = (mine[0] ?? tx.postings[0])?.asset ?? tx.asset ?? '';
  let net = 0;
  for (const p of mine) {
    if (p.asset !== asset) continue;
    if (p.to.userId === userId) net += p.amount;
    if (p.from.userId === userId) net -= p.amount;
  }
  if (mine.length === 0) return { outgoing: false, amount: tx.amount ?? 0, asset };
  return { outgoing: net < 0, amount: Math.abs(net), asset };
}
