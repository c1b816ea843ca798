import { DomainError, ErrorCode, FieldError } from './errors';

/** RFC 9457 problem details, as every error response carries them. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  /** Which posting of a multi-posting transaction was refused. */
  posting?: number;
  instance?: string;
}

/**
 * Status and title of every code. `wireCode` is the code a client sees when docs/api.md gives a
 * refusal its own status but an existing code (an admin changing their own account is a 422
 * VALIDATION_FAILED, while other VALIDATION_FAILED problems are 400s).
 */
const PROBLEMS: Record<ErrorCode, { status: number; title: string; wireCode?: ErrorCode }> = {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'Idempotency-Key header required' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  RECIPIENT_NOT_FOUND: { status: 404, title: 'Recipient not found' },
  EMAIL_TAKEN: { status: 409, title: 'Email already registered' },
  IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, title: 'Idempotency key in progress' },
  ALREADY_REVERSED: { status: 409, title: 'Already reversed' },
  INSUFFICIENT_FUNDS: { status: 422, title: 'Insufficient funds' },
  SAME_WALLET: { status: 422, title: 'Same wallet' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  ASSET_NOT_FOUND: { status: 422, title: 'Asset not found' },
  BALANCE_LIMIT: { status: 422, title: 'Balance limit exceeded' },
  HOLD_NOT_PENDING: { status: 409, title: 'Hold not pending' },
  CAPTURE_EXCEEDS_HOLD: { status: 422, title: 'Capture exceeds hold' },
  NOT_REVERSIBLE: { status: 422, title: 'Not reversible' },
  QUOTE_EXPIRED: { status: 409, title: 'Quote expired' },
  QUOTE_USED: { status: 409, title: 'Quote already used' },
  RATE_NOT_FOUND: { status: 422, title: 'Rate not found' },
  AMOUNT_TOO_SMALL: { status: 422, title: 'Amount too small' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  TOO_MANY_OPEN_BATCHES: { status: 409, title: 'Too many open batches' },
  OWN_ACCOUNT_LOCKOUT: { status: 422, title: 'Validation failed', wireCode: 'VALIDATION_FAILED' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  BUSY: { status: 503, title: 'Service busy' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

export function statusOf(code: ErrorCode): number {
  return PROBLEMS[code].status;
}

export function problemOf(code: ErrorCode, detail: string, errors?: FieldError[]): ProblemBody {
  const { status, title, wireCode = code } = PROBLEMS[code];
  const body: ProblemBody = {
    type: `urn:problem-type:wallet:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code: wireCode,
  };
  if (errors !== undefined && errors.length > 0) body.errors = errors;
  return body;
}

export function problemFromError(error: DomainError): ProblemBody {
  const body = problemOf(error.code, error.detail, error.fieldErrors);
  if (error.posting !== undefined) body.posting = error.posting;
  return body;
}
