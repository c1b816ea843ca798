import { PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../../libs/ledger/src';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404, like an id the caller may not see. */
export const notFoundOnBadUuid: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundError('Resource');
    return value.toLowerCase();
  },
};

/** Wallet ids are positive integers (they give the lock order). */
export const notFoundOnBadWalletId: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[1-9]\d{0,17}$/.test(value)) throw new NotFoundError('Wallet');
    return value;
  },
};
