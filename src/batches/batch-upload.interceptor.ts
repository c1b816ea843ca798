import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { DomainError, UnsupportedMediaTypeError, ValidationFailedError } from '../../libs/ledger/src';
import { isForbiddenKey, refuseNulStrings } from '../common/hostile-input';
import { idempotencyKeyOf } from '../common/idempotency';
import { BATCH_FILE_BYTES_MAX } from './batch-csv.parser';
import { BatchCsvStorage } from './batch-csv.storage';

/**
 * Reads the multipart upload with hard limits, parsing the CSV as it streams in
 * (BatchCsvStorage): an oversized or malformed file is refused while it arrives, and the
 * file is never buffered whole. Nest's FileInterceptor would answer 413/400 with a generic
 * message; the contract wants 400 VALIDATION_FAILED saying what is wrong.
 */
@Injectable()
export class BatchUploadInterceptor implements NestInterceptor {
  private readonly upload = multer({
    storage: new BatchCsvStorage(),
    // File names arrive as UTF-8 from every current browser and HTTP client; busboy assumes latin1.
    defParamCharset: 'utf8',
    limits: { fileSize: BATCH_FILE_BYTES_MAX, files: 1, fields: 4, parts: 5, fieldNameSize: 100, fieldSize: 1024, headerPairs: 20 },
  }).single('file');

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    // Refusals that need no byte of the body come first: a request they refuse costs no parsing.
    idempotencyKeyOf(request);
    const encoding = request.header('content-encoding');
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      throw new UnsupportedMediaTypeError('Send the multipart body without a Content-Encoding');
    }
    await new Promise<void>((resolve, reject) => {
      this.upload(request, http.getResponse<Response>(), (error: unknown) => {
        if (error === undefined || error === null) resolve();
        else reject(uploadProblem(error));
      });
    });
    refuseOddFields(request);
    return next.handle();
  }
}

/**
 * The text fields and the file name, as the JSON body parser's checks would see them: no NUL,
 * and no `__proto__`/`constructor`/`prototype` field, which the DTO whitelist cannot see.
 */
function refuseOddFields(request: Request): void {
  const fields = (request.body ?? {}) as Record<string, unknown>;
  const forbidden = Object.keys(fields).find(isForbiddenKey);
  if (forbidden !== undefined) {
    throw new ValidationFailedError('The request has an unknown field', [{ field: forbidden, message: 'is not allowed' }]);
  }
  refuseNulStrings({ ...fields, fileName: request.file?.originalname });
}

function uploadProblem(error: unknown): DomainError {
  // The file's own problems, found by the CSV reader.
  if (error instanceof DomainError) return error;
  if (!(error instanceof MulterError)) return new ValidationFailedError('The multipart/form-data body is malformed');
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new ValidationFailedError(`The file is larger than ${BATCH_FILE_BYTES_MAX} bytes (10 MiB)`, [
        { field: 'file', message: `must be at most ${BATCH_FILE_BYTES_MAX} bytes` },
      ]);
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new ValidationFailedError('Send exactly one file, in the multipart field "file"', [
        { field: error.field ?? 'file', message: 'unexpected file' },
      ]);
    default:
      return new ValidationFailedError(`The multipart/form-data body was refused: ${error.message}`);
  }
}
