import { createApp } from './bootstrap';
import { loadConfig } from './config/env';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // A wrong environment stops here, naming each bad variable.
    console.error((error as Error).message);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.PORT, process.env.HOST ?? '0.0.0.0');
  const url = await app.getUrl();
  console.log(`dispatch console listening on ${url.replace('[::1]', 'localhost')} (${config.embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}, ${config.REDIS_URL ? 'Redis fan-out' : 'in-process fan-out'})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
