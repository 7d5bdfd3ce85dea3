import { Client } from 'pg';
import { TEST_DATABASE_URL } from './env';

/** Every run starts from an empty schema; the app's own migrations build it. */
export default async function setup(): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
