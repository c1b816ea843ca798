import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useApp } from '../context';

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A label, a control and its hint or error, wired together for screen readers. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': note ? noteId : undefined })}
      {note && (
        <p id={noteId} className={error ? 'field-error' : 'field-hint'}>
          {note}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>;

interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}

export function TextField({ label, value, onChange, error, hint, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(wiring) => <input {...input} {...wiring} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  name?: string;
}

export function SelectField({ label, value, onChange, options, error, name }: SelectFieldProps) {
  return (
    <Field label={label} error={error}>
      {(wiring) => (
        <select {...wiring} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function AssetSelect(props: Omit<SelectFieldProps, 'options' | 'label'>) {
  const { assets } = useApp();
  const options = assets.map((asset) => ({ value: asset.code, label: `${asset.name} (${asset.code})` }));
  return <SelectField label="Asset" name="asset" options={options} {...props} />;
}
