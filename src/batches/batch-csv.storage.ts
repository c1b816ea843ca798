import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { BatchCsvReader, ReadBatchFile } from './batch-csv.parser';

/** The upload as BatchUploadInterceptor leaves it in `request.file`: read and validated, its bytes not kept. */
export interface UploadedBatchFile extends ReadBatchFile {
  originalname: string;
}

type HandleFileCallback = Parameters<StorageEngine['_handleFile']>[2];

/**
 * A multer storage engine that stores nothing: it parses the CSV while it streams in, so a
 * 10 MiB upload costs its parsed columns in memory, not also a buffer of the whole file (and
 * the copy that concatenating one takes). A file-level problem stops the reading at once.
 */
export class BatchCsvStorage implements StorageEngine {
  _handleFile(_request: Request, file: Express.Multer.File, callback: HandleFileCallback): void {
    const reader = new BatchCsvReader();
    let settled = false;
    const settle = (error: unknown, read?: ReadBatchFile): void => {
      if (settled) return;
      settled = true;
      // multer merges `info` into the file object; its type only knows multer's own fields.
      callback(error ?? null, read as Partial<Express.Multer.File> | undefined);
    };
    file.stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        reader.push(chunk);
      } catch (error) {
        // multer drains the rest of the request once it gets the error.
        settle(error);
      }
    });
    file.stream.on('end', () => {
      if (!settled) reader.finish().then((read) => settle(null, read), settle);
    });
    file.stream.on('error', settle);
  }

  _removeFile(_request: Request, _file: Express.Multer.File, callback: (error: Error | null) => void): void {
    callback(null);
  }
}
