export * from '../../contract/src';
export { WalletClient, type ClientOptions } from './client';
export { items, pages } from './paginate';
export { ApiProblemError, parseRetryAfter } from './problem';
export type * from './requests';
export { backoffMs, RETRY_DEFAULTS, type RetryPolicy } from './retry';
export { Transport, type ApiRequest, type ApiResponse, type Method, type TransportOptions } from './transport';
