import { describe, expect, it } from 'vitest';
import { partDayFor } from '../../bot/engine';

const today = { from: '2026-11-05', to: null, untilFurtherNotice: false };

describe('the part of the day a text describes', () => {
	it('leaving and coming back is an appointment; a return before leaving is not read as one', () => {
		expect(partDayFor({ dates: today, times: { leavesAt: '13:30', returnsAt: '15:00' } })).toEqual({ kind: 'appointment', leavesAt: '13:30', returnsAt: '15:00' });
		expect(partDayFor({ dates: today, times: { leavesAt: '13:30', returnsAt: '13:30' } })).toBeNull();
		expect(partDayFor({ dates: today, times: { leavesAt: '15:00', returnsAt: '09:00' } })).toBeNull();
	});

	it('leaving without coming back is leaving early', () => {
		expect(partDayFor({ dates: today, times: { leavesAt: '12:00' } })).toEqual({ kind: 'leaving_early', leavesAt: '12:00' });
	});

	it('"in by 10", or "back by 11" with no time of leaving, is a late arrival', () => {
		expect(partDayFor({ dates: today, times: { arrivesBy: '10:00' } })).toEqual({ kind: 'late_arrival', arrivesBy: '10:00' });
		expect(partDayFor({ dates: today, times: { returnsAt: '11:00' } })).toEqual({ kind: 'late_arrival', arrivesBy: '11:00' });
	});

	it('an appointment time alone, no times, or more than one day: the sessions the words gave stand', () => {
		expect(partDayFor({ dates: today, times: { appointmentAt: '14:00' } })).toBeNull();
		expect(partDayFor({ dates: today })).toBeNull();
		expect(partDayFor({ dates: { from: '2026-11-05', to: '2026-11-06', untilFurtherNotice: false }, times: { leavesAt: '12:00' } })).toBeNull();
		expect(partDayFor({ dates: { from: '2026-11-05', to: null, untilFurtherNotice: true }, times: { arrivesBy: '10:00' } })).toBeNull();
		expect(partDayFor({ dates: { from: '2026-11-05', to: '2026-11-05', untilFurtherNotice: false }, times: { leavesAt: '12:00' } })).toEqual({ kind: 'leaving_early', leavesAt: '12:00' });
	});
});
