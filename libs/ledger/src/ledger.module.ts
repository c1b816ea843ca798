import { DynamicModule, Module } from '@nestjs/common';
import { LedgerDirectory } from './ledger-directory';
import { LEDGER_OPTIONS, LedgerOptions, PostingEngine } from './posting-engine';

@Module({})
export class LedgerModule {
  static forRootAsync(options: { inject: unknown[]; useFactory: (...args: never[]) => LedgerOptions }): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      providers: [
        { provide: LEDGER_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        LedgerDirectory,
        PostingEngine,
      ],
      exports: [LedgerDirectory, PostingEngine],
    };
  }
}
