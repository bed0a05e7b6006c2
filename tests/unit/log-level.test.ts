import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, logsAt, setLogLevel } from '../../src/lib/server/platform/log';
import { readConfig } from '../../src/lib/server/platform/config';

describe('the log level', () => {
	afterEach(() => {
		setLogLevel('info');
		vi.restoreAllMocks();
	});

	it('writes nothing below the level and everything at or above it', () => {
		const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
		const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		setLogLevel('warn');
		log('debug', 'quiet.debug');
		log('info', 'quiet.info');
		expect(out).not.toHaveBeenCalled();
		log('warn', 'loud.warn');
		log('error', 'loud.error');
		expect(err.mock.calls.map((c) => JSON.parse(String(c[0])).event)).toEqual(['loud.warn', 'loud.error']);
		expect([logsAt('debug'), logsAt('info'), logsAt('warn'), logsAt('error')]).toEqual([false, false, true, true]);
		setLogLevel('debug');
		log('debug', 'now.shown');
		expect(out).toHaveBeenCalledTimes(1);
	});

	it('is info by default, read from LOG_LEVEL, and a value it cannot use stops the start', () => {
		expect(readConfig({}).logLevel).toBe('info');
		expect(readConfig({ LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
		expect(readConfig({ LOG_LEVEL: ' ERROR ' }).logLevel).toBe('error');
		expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of debug, info, warn, error \(got "loud"\)/);
	});
});
