import { describe, expect, it } from 'vitest';
import { familiesOptedOut, reachDifferences, summariseReach } from '../../src/lib/domain/campaign-reach';

describe('campaign reach', () => {
	it('counts families reached, messages and families by channel, and the families with no address', () => {
		const reach = summariseReach([{ queued: { sms: 1, push: 2 } }, { queued: { telegram: 1 } }, { queued: {} }, { queued: { sms: 0 } }]);
		expect(reach).toEqual({
			families: 4,
			reached: 2,
			notReached: { no_address: 2 },
			messages: { push: 2, sms: 1, telegram: 1 },
			familiesByChannel: { push: 1, sms: 1, telegram: 1 }
		});
		expect(summariseReach([]).families).toBe(0);
	});

	it('counts as opted out only families whose every message was refused for STOP', () => {
		const outcomes = new Map([
			['a', ['opted_out']],
			['b', ['opted_out', 'sent']],
			['c', ['sent']],
			['d', ['opted_out', 'opted_out']],
			['e', []]
		]);
		expect(familiesOptedOut(outcomes)).toBe(2);
	});

	it('gives each difference its reason, largest first, and none when everyone was reached', () => {
		const reach = summariseReach([{ queued: {} }, { queued: {} }, { queued: { sms: 1 } }, { queued: { sms: 1 } }, { queued: { sms: 1 } }, { queued: { sms: 1 } }]);
		expect(reachDifferences(reach, 3)).toEqual([
			{ reason: 'opted_out', families: 3 },
			{ reason: 'no_address', families: 2 }
		]);
		expect(reachDifferences(summariseReach([{ queued: { push: 1 } }]), 0)).toEqual([]);
	});
});
