import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DrainState } from './drain-state';
import { RequestDeadlineInterceptor } from './request-deadline.interceptor';

/** Process-level HTTP concerns: the request deadline and the shutdown (drain) state. */
@Global()
@Module({
  providers: [DrainState, { provide: APP_INTERCEPTOR, useClass: RequestDeadlineInterceptor }],
  exports: [DrainState],
})
export class ServerModule {}
