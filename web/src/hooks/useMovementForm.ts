import { useState } from 'react';
import { defaultAsset, scaleOf, useApp } from '../context';
import { checkMovement, type MovementBody, type MovementErrors, type MovementValues, type RecipientField } from '../lib/movement';

export interface MovementForm {
  values: MovementValues;
  errors: MovementErrors;
  change: (name: keyof MovementValues, value: string) => void;
  check: () => MovementBody | null;
  clearAmount: () => void;
}

/** Values and validation of a money form; check() returns the request body or shows the errors. */
export function useMovementForm(recipientField?: RecipientField, initial: Partial<MovementValues> = {}): MovementForm {
  const { assets } = useApp();
  const [values, setValues] = useState<MovementValues>(() => ({
    asset: defaultAsset(assets),
    amount: '',
    recipient: '',
    description: '',
    ...initial,
  }));
  const [errors, setErrors] = useState<MovementErrors>({});

  function change(name: keyof MovementValues, value: string) {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  function check(): MovementBody | null {
    const result = checkMovement(values, scaleOf(assets, values.asset), recipientField);
    setErrors(result.ok ? {} : result.errors);
    return result.ok ? result.body : null;
  }

  return { values, errors, change, check, clearAmount: () => change('amount', '') };
}
