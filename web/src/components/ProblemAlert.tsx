import type { ApiFailure } from '../lib/api';
import { describeFailure } from '../lib/problems';

interface ProblemAlertProps {
  failure: ApiFailure;
  asset?: string;
}

/** A failed request explained in plain words; `data-code` carries the stable problem code. */
export function ProblemAlert({ failure, asset }: ProblemAlertProps) {
  const { message, fieldErrors } = describeFailure(failure, { asset });
  return (
    <div className="alert alert-error" role="alert" data-testid="problem" data-code={failure.problem.code}>
      <p>{message}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
