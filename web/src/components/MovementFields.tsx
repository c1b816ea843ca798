import type { MovementErrors, MovementValues, RecipientField } from '../lib/movement';
import { AssetSelect, TextField } from './Field';

const RECIPIENT_LABELS: Record<RecipientField, { label: string; type: string; autoComplete: string }> = {
  toEmail: { label: 'Recipient email', type: 'email', autoComplete: 'email' },
  userId: { label: 'User id', type: 'text', autoComplete: 'off' },
};

interface MovementFieldsProps {
  values: MovementValues;
  errors: MovementErrors;
  onChange: (name: keyof MovementValues, value: string) => void;
  recipientField?: RecipientField;
  withDescription?: boolean;
}

/** Asset, amount, optional recipient and description inputs shared by every money form. */
export function MovementFields({ values, errors, onChange, recipientField, withDescription = true }: MovementFieldsProps) {
  const recipient = recipientField && RECIPIENT_LABELS[recipientField];
  return (
    <>
      <AssetSelect value={values.asset} onChange={(v) => onChange('asset', v)} error={errors.asset} />
      <TextField
        label={`Amount (${values.asset})`}
        name="amount"
        inputMode="decimal"
        autoComplete="off"
        value={values.amount}
        onChange={(v) => onChange('amount', v)}
        error={errors.amount}
      />
      {recipient && (
        <TextField
          label={recipient.label}
          name={recipientField}
          type={recipient.type}
          autoComplete={recipient.autoComplete}
          value={values.recipient}
          onChange={(v) => onChange('recipient', v)}
          error={errors.recipient}
        />
      )}
      {withDescription && (
        <TextField
          label="Description (optional)"
          name="description"
          value={values.description}
          onChange={(v) => onChange('description', v)}
        />
      )}
    </>
  );
}
