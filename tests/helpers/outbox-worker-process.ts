/**
 * A real outbox worker in its own process, for the killed-worker test: the same
 * startOutboxWorker and twilio SDK transport as the app, against the test's PostgreSQL
 * database and its local fake Twilio. The test SIGKILLs it mid-batch.
 *
 * Usage: node --import tsx tests/helpers/outbox-worker-process.ts <database url> <fake twilio url>
 */
import { openDatabase } from '../../src/lib/server/platform/db/engine';
import { startOutboxWorker } from '../../src/lib/server/platform/outbox';
import { twilioSmsTransport } from '../../src/lib/server/providers/twilio';

const [url, apiBase] = process.argv.slice(2);
if (!url || !apiBase) throw new Error('usage: outbox-worker-process.ts <database url> <fake twilio url>');
const handle = await openDatabase({ engine: 'postgres', url, poolSize: 3 });
const sms = twilioSmsTransport({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'test-token', from: '+447700900000', apiBase });
startOutboxWorker(handle, { intervalMs: 50, transports: { sms }, delivery: { limit: 10, leaseMs: 3_000, concurrency: 2 } });
process.stdout.write('worker started\n');
// Keep running until killed.
setInterval(() => {}, 1 << 30);
