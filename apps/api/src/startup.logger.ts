import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's start-up chatter: a line per module, controller and route (some 75 of them). */
const ROUTINE_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's console logger with its start-up chatter moved to debug, so a start shows what a newcomer needs to read.
 * `TESSERA_LOG_LEVEL=debug` shows it again.
 */
export class StartupLogger extends ConsoleLogger {
  constructor(levels: LogLevel[]) {
    super();
    this.setLogLevels(levels);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    if (ROUTINE_CONTEXTS.has(String(rest.at(-1) ?? this.context))) this.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}

export function apiLogLevels(env: NodeJS.ProcessEnv): LogLevel[] {
  if (env.NODE_ENV === 'test') return ['error', 'warn'];
  const base: LogLevel[] = ['fatal', 'error', 'warn', 'log'];
  return env.TESSERA_LOG_LEVEL === 'debug' ? [...base, 'debug'] : base;
}
