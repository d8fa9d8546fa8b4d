import { ConfigError, loadConfig } from '../config/env';
import { createLogger } from '../shared/logger';
import { startServer } from './server';

// Production entry point: config → dependencies → app + workers; SIGTERM/SIGINT drain in-flight work and exit.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`NPS Loop cannot start: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down gracefully');
    running.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`NPS Loop failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
