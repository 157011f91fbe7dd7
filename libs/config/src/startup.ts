import { ConfigError, describeStartupFailure, loadConfig, type TesseraConfig } from './config';

/** Ends the process with one line on stderr: how every start-up failure is told. */
export function exitWith(program: string, message: string): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(1);
}

/** Loads the configuration, or exits in one line when it is wrong. */
export function loadConfigOrExit(program: string): TesseraConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(program, `configuration: ${error.message}`);
    throw error;
  }
}

/** Runs `open`, or exits in one line naming the stores when they cannot be opened. */
export async function openOrExit<T>(program: string, config: TesseraConfig, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    exitWith(program, describeStartupFailure(error, config.storage));
  }
}
