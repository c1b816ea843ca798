import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built web console (Vite output in dist/web). Compiled, this file sits in dist/src/…;
 * under the test runner it sits in src/…: both resolve to the same dist/web.
 */
function consoleRoot(): string | null {
  const candidates = [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null;
}

/** Warns once the app's own logger is in place, so the line is formatted like every other. */
class MissingConsoleWarning implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('WebConsole').warn('dist/web not found: run `npm run build` to serve the web console at /');
  }
}

@Module({})
export class WebConsoleModule {
  static forRoot(): DynamicModule {
    const rootPath = consoleRoot();
    if (rootPath === null) return { module: WebConsoleModule, providers: [MissingConsoleWarning] };
    return {
      module: WebConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: ['/api/{*splat}', '/docs{*splat}', '/metrics', '/health{*splat}'],
          serveStaticOptions: { index: 'index.html', maxAge: '1h' },
        }),
      ],
    };
  }
}
