import { describe, expect, it } from 'vitest';
import { AMEND_WINDOW_MS, converse, type BotReply, type BotServices, type BotState, type ReportChange, type ReportOutcome, type ReportRequest } from '../../bot/engine';
import type { ChildName } from '../../bot/understanding';
import { calendar2026 } from './fixtures';

/*
 * The conversation engine on its own: each test drives `converse` turn by turn with an
 * in-memory BotServices that records what the engine asked of it. The services are the
 * engine's edge (the database is behind them), so faking them is what makes this a unit test.
 */

const SAM: ChildName = { pupilId: 'p-sam', name: 'Sam' };
const ELLA: ChildName = { pupilId: 'p-ella', name: 'Ella' };
const TWO = [SAM, ELLA];

/* A Thursday in term, 08:00 in London (GMT in November, so the same instant in UTC). */
const TODAY = '2026-11-05';
const TOMORROW = '2026-11-06';
const MONDAY = '2026-11-09';
const START = new Date('2026-11-05T08:00:00Z');
const day = (from: string, to: string | null = null) => ({ from, to, untilFurtherNotice: false });
const minutesAfter = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

const REASON_LABELS = ['Illness', 'Medical or dental appointment', 'Mental health', 'Family emergency', 'Something else'];

type Call =
	| { service: 'report'; requests: ReportRequest[] }
	| { service: 'amend'; change: ReportChange }
	| { service: 'attendance' }
	| { service: 'help'; text: string }
	| { service: 'checkIn'; answer: 'still_off' | 'back' }
	| { service: 'optOut' }
	| { service: 'optIn' };

/** A recording BotServices: canned answers, every write and service call kept in `calls`. */
function fakeServices(children: ChildName[] = TWO) {
	const calls: Call[] = [];
	let reportsMade = 0;
	const fake: { calls: Call[]; now: Date; nextReport: ReportOutcome | null; nextAmend: { ok: boolean; text: string }; services: BotServices } = {
		calls,
		now: START,
		/** What the next report() answers; by default it succeeds with a new id. */
		nextReport: null,
		nextAmend: { ok: true, text: 'Report changed.' },
		services: {
			children: async () => children,
			context: async () => ({ now: fake.now, today: TODAY, time: '08:00', calendar: calendar2026() }),
			report: async (requests) => {
				calls.push({ service: 'report', requests: structuredClone(requests) });
				const canned = fake.nextReport;
				fake.nextReport = null;
				if (canned) return canned;
				reportsMade += 1;
				return { ok: true, text: `Reported ${reportsMade}.`, reportIds: [`r-${reportsMade}`] };
			},
			amend: async (change) => {
				calls.push({ service: 'amend', change: structuredClone(change) });
				return fake.nextAmend;
			},
			attendance: async () => {
				calls.push({ service: 'attendance' });
				return 'Sam: 96% this year.';
			},
			help: async (text) => {
				calls.push({ service: 'help', text });
				return 'Here is some help.';
			},
			checkIn: async (answer) => {
				calls.push({ service: 'checkIn', answer });
				return answer === 'back' ? 'Glad they are back.' : 'Noted, still off.';
			},
			optOut: async () => {
				calls.push({ service: 'optOut' });
				return 'You are opted out.';
			},
			optIn: async () => {
				calls.push({ service: 'optIn' });
				return 'You are opted in.';
			}
		}
	};
	return fake;
}

type Fake = ReturnType<typeof fakeServices>;

/** One turn; the state is copied first, as it would be read back from the database. */
async function turn(fake: Fake, state: BotState, text: string, locale: 'en' | 'pl' = 'en') {
	return converse(structuredClone(state), text, fake.services, locale);
}

const texts = (replies: BotReply[]) => replies.map((r) => r.text);

const samIllToday: ReportRequest = { pupilIds: ['p-sam'], reason: 'illness', details: 'Sam is ill today', dates: day(TODAY), sessions: 'BOTH' };

describe('converse: a complete message', () => {
	it('makes one report and remembers it for a follow-up, with no question pending', async () => {
		const fake = fakeServices();
		const { replies, state } = await turn(fake, {}, 'Sam is ill today');
		expect(replies).toEqual([{ text: 'Reported 1.' }]);
		expect(fake.calls).toEqual([{ service: 'report', requests: [samIllToday] }]);
		expect(state).toEqual({ recent: { at: START.toISOString(), reportIds: ['r-1'], pupilIds: ['p-sam'], request: samIllToday } });
	});

	it('with one child, a message naming no child is about that child', async () => {
		const fake = fakeServices([ELLA]);
		const { state } = await turn(fake, {}, 'off sick today');
		expect(fake.calls).toEqual([{ service: 'report', requests: [{ pupilIds: ['p-ella'], reason: 'illness', details: 'off sick today', dates: day(TODAY), sessions: 'BOTH' }] }]);
		expect(state.pending).toBeUndefined();
	});

	it('tells a parent with no linked children so, and reports nothing', async () => {
		const fake = fakeServices([]);
		const { replies, state } = await turn(fake, {}, 'Sam is ill today');
		expect(texts(replies)).toEqual(['We cannot find any children linked to you. Please contact your child’s school.']);
		expect(fake.calls).toEqual([]);
		expect(state).toEqual({});
	});

	it('queries a day in the past instead of reporting it', async () => {
		const fake = fakeServices();
		const { replies, state } = await turn(fake, {}, 'Sam was off yesterday');
		expect(texts(replies)).toEqual(['We can only take reports for today or a day to come. For an earlier day, please contact the school.']);
		expect(fake.calls).toEqual([]);
		expect(state).toEqual({});
	});
});

describe('converse: which child', () => {
	it('asks with numbered choices when no child is named, then reports for the one picked', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		expect(asked.replies).toEqual([{ text: 'Who is off school?', choices: ['Sam', 'Ella', 'Both'] }]);
		expect(asked.state.pending).toBe('child');
		expect(asked.state.options?.map((o) => o.pupilIds)).toEqual([['p-sam'], ['p-ella'], ['p-sam', 'p-ella']]);
		expect(fake.calls).toEqual([]);

		const answered = await turn(fake, asked.state, '2');
		const request = { pupilIds: ['p-ella'], reason: 'illness', details: 'off sick today', dates: day(TODAY), sessions: 'BOTH' };
		expect(fake.calls).toEqual([{ service: 'report', requests: [request] }]);
		expect(texts(answered.replies)).toEqual(['Reported 1.']);
		expect(answered.state).toEqual({ recent: { at: START.toISOString(), reportIds: ['r-1'], pupilIds: ['p-ella'], request } });
	});

	it('"Both" reports the two children together', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		const answered = await turn(fake, asked.state, '3');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ pupilIds: ['p-sam', 'p-ella'], reason: 'illness' })] }]);
		expect(answered.state.recent?.pupilIds).toEqual(['p-sam', 'p-ella']);
	});

	it('asks again, keeping the question, when the number is not one of the choices', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		for (const wrong of ['4', '0']) {
			const again = await turn(fake, asked.state, wrong);
			expect(again.replies).toEqual([{ text: 'Please reply with one of the numbers.', choices: ['Sam', 'Ella', 'Both'] }]);
			expect(again.state).toEqual(asked.state);
		}
		expect(fake.calls).toEqual([]);
		// The question still stands: the right number then answers it.
		await turn(fake, asked.state, '1');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ pupilIds: ['p-sam'] })] }]);
	});

	it('a new complete message instead of a number replaces the open question', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		const { state } = await turn(fake, asked.state, 'Sam is ill today');
		expect(fake.calls).toEqual([{ service: 'report', requests: [samIllToday] }]);
		expect(state.pending).toBeUndefined();
		expect(state.draft).toBeUndefined();
	});
});

describe('converse: several reports in one message', () => {
	it('one answer about who is off is for every day named', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick monday and wednesday');
		expect(asked.replies).toEqual([{ text: 'Who is off school?', choices: ['Sam', 'Ella', 'Both'] }]);
		await turn(fake, asked.state, '2');
		const request = { pupilIds: ['p-ella'], reason: 'illness', details: 'off sick monday and wednesday', sessions: 'BOTH' };
		expect(fake.calls).toEqual([{ service: 'report', requests: [{ ...request, dates: day(MONDAY) }, { ...request, dates: day('2026-11-11') }] }]);
	});

	it('the day asked about is only for the child it was unclear for', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Sam is ill today and Ella is off next Friday');
		expect(asked.replies).toEqual([{ text: 'Which day do you mean?', choices: ['Friday 13 November 2026', 'Friday 6 November 2026'] }]);
		const answered = await turn(fake, asked.state, '2');
		expect(fake.calls).toEqual([
			{
				service: 'report',
				requests: [
					expect.objectContaining({ pupilIds: ['p-sam'], reason: 'illness', dates: day(TODAY) }),
					expect.objectContaining({ pupilIds: ['p-ella'], reason: 'illness', dates: day(TOMORROW) })
				]
			}
		]);
		// Both children's reports can be changed by a follow-up; the first is the pattern for "and … too".
		expect(answered.state.recent).toMatchObject({ reportIds: ['r-1'], pupilIds: ['p-sam', 'p-ella'], request: { pupilIds: ['p-sam'], dates: day(TODAY) } });
	});
});

describe('converse: the reason', () => {
	it('asks why with the reason choices, and the answer picks the reason', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Sam wont be in tomorrow');
		expect(asked.replies).toEqual([{ text: 'What is the reason?', choices: REASON_LABELS }]);
		expect(asked.state.pending).toBe('reason');
		expect(fake.calls).toEqual([]);

		const answered = await turn(fake, asked.state, '2');
		expect(fake.calls).toEqual([
			{ service: 'report', requests: [{ pupilIds: ['p-sam'], reason: 'medical_appointment', details: 'Sam wont be in tomorrow', dates: day(TOMORROW), sessions: 'BOTH' }] }
		]);
		expect(answered.state.pending).toBeUndefined();
		expect(answered.state.recent?.request.reason).toBe('medical_appointment');
	});

	it('asks the child first, then the reason, then reports', async () => {
		const fake = fakeServices();
		const child = await turn(fake, {}, 'not coming in tomorrow');
		expect(child.state.pending).toBe('child');
		const reason = await turn(fake, child.state, '1');
		expect(reason.replies).toEqual([{ text: 'What is the reason?', choices: REASON_LABELS }]);
		expect(reason.state.pending).toBe('reason');
		expect(fake.calls).toEqual([]);
		await turn(fake, reason.state, '5');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ pupilIds: ['p-sam'], reason: 'other', dates: day(TOMORROW) })] }]);
	});
});

describe('converse: which day', () => {
	it('asks whether "until Friday" includes Friday, and reports the reading picked', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Ella off until Friday');
		expect(asked.replies).toEqual([{ text: 'Which day do you mean?', choices: ['from today to Friday 6 November 2026', 'today'] }]);
		expect(asked.state.pending).toBe('date');
		expect(asked.state.options?.map((o) => o.dates)).toEqual([day(TODAY, TOMORROW), day(TODAY)]);

		// The day is settled, the reason is still open.
		const reason = await turn(fake, asked.state, '1');
		expect(reason.state.pending).toBe('reason');
		expect(reason.state.draft?.items[0]?.dates).toEqual(day(TODAY, TOMORROW));
		expect(fake.calls).toEqual([]);

		await turn(fake, reason.state, '1');
		expect(fake.calls).toEqual([
			{ service: 'report', requests: [{ pupilIds: ['p-ella'], reason: 'illness', details: 'Ella off until Friday', dates: day(TODAY, TOMORROW), sessions: 'BOTH' }] }
		]);
	});

	it('the other reading gives the other days', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Ella off until Friday');
		const reason = await turn(fake, asked.state, '2');
		await turn(fake, reason.state, '1');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ dates: day(TODAY) })] }]);
	});
});

describe('converse: a follow-up to the report just made', () => {
	async function reported() {
		const fake = fakeServices();
		const { state } = await turn(fake, {}, 'Sam is ill today');
		fake.calls.length = 0;
		return { fake, state };
	}

	it('within the window, a new day changes the report', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(5);
		const { replies, state: next } = await turn(fake, state, 'sorry, I meant Friday');
		expect(fake.calls).toEqual([{ service: 'amend', change: { reportIds: ['r-1'], dates: day(TOMORROW) } }]);
		expect(texts(replies)).toEqual(['Report changed.']);
		// Still the same reports, made at the same time, now for Friday.
		expect(next).toEqual({ recent: { at: START.toISOString(), reportIds: ['r-1'], pupilIds: ['p-sam'], request: { ...samIllToday, dates: day(TOMORROW) } } });
	});

	it('within the window, a new reason changes the report', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(2);
		const { state: next } = await turn(fake, state, 'sorry, it is the dentist not illness');
		expect(fake.calls).toEqual([{ service: 'amend', change: { reportIds: ['r-1'], reason: 'medical_appointment' } }]);
		expect(next.recent?.request.reason).toBe('medical_appointment');
	});

	it('"and Ella too" reports Ella the same way and adds her to the reports just made', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(1);
		const { replies, state: next } = await turn(fake, state, 'and Ella too');
		expect(fake.calls).toEqual([{ service: 'report', requests: [{ ...samIllToday, pupilIds: ['p-ella'] }] }]);
		expect(texts(replies)).toEqual(['Reported 2.']);
		expect(next.recent).toMatchObject({ reportIds: ['r-1', 'r-2'], pupilIds: ['p-sam', 'p-ella'] });
	});

	it('a change the service refuses is said, and the report stays as it was', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(3);
		fake.nextAmend = { ok: false, text: 'The school has seen it.' };
		const { replies, state: next } = await turn(fake, state, 'sorry, I meant Friday');
		expect(texts(replies)).toEqual(['The school has seen it.']);
		expect(next.recent?.request).toEqual(samIllToday);
	});

	it('the window includes its last millisecond', async () => {
		const { fake, state } = await reported();
		fake.now = new Date(START.getTime() + AMEND_WINDOW_MS);
		await turn(fake, state, 'sorry, Sam is sick tomorrow');
		expect(fake.calls).toEqual([{ service: 'amend', change: { reportIds: ['r-1'], dates: day(TOMORROW), reason: 'illness' } }]);
	});

	it('after the window, the same follow-up is a new message: a new report, not a change', async () => {
		const { fake, state } = await reported();
		fake.now = new Date(START.getTime() + AMEND_WINDOW_MS + 1);
		const { state: next } = await turn(fake, state, 'sorry, Sam is sick tomorrow');
		const request = { pupilIds: ['p-sam'], reason: 'illness', details: 'sorry, Sam is sick tomorrow', dates: day(TOMORROW), sessions: 'BOTH' };
		expect(fake.calls).toEqual([{ service: 'report', requests: [request] }]);
		expect(next.recent).toEqual({ at: fake.now.toISOString(), reportIds: ['r-2'], pupilIds: ['p-sam'], request });
	});

	it('after the window, a follow-up that is no report on its own is not understood, and the old report is forgotten', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(11);
		const { replies, state: next } = await turn(fake, state, 'sorry, I meant Friday');
		expect(fake.calls).toEqual([]);
		expect(replies[0]?.text).toMatch(/^Sorry, we did not understand that\./);
		expect(next).toEqual({});
	});

	it('asks which day when the change names two, and the answer changes the report', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(4);
		const asked = await turn(fake, state, 'sorry, I meant Friday or Monday');
		expect(asked.replies).toEqual([{ text: 'Which day do you mean?', choices: ['Friday 6 November 2026', 'Monday 9 November 2026'] }]);
		expect(asked.state).toMatchObject({ pending: 'amend_date', recent: state.recent });
		expect(fake.calls).toEqual([]);

		const answered = await turn(fake, asked.state, '2');
		expect(fake.calls).toEqual([{ service: 'amend', change: { reportIds: ['r-1'], dates: day(MONDAY) } }]);
		expect(answered.state).toEqual({ recent: { ...state.recent, request: { ...samIllToday, dates: day(MONDAY) } } });
	});

	it('the question about which day lapses with the window: a late answer changes nothing', async () => {
		const { fake, state } = await reported();
		fake.now = minutesAfter(9);
		const asked = await turn(fake, state, 'sorry, I meant Friday or Monday');
		expect(asked.state.pending).toBe('amend_date');
		fake.now = minutesAfter(12);
		const late = await turn(fake, asked.state, '1');
		expect(fake.calls).toEqual([]);
		expect(late.replies[0]?.text).toMatch(/^Sorry, we did not understand that\./);
		expect(late.state).toEqual({});
	});
});

describe('converse: a report the service refuses', () => {
	it('passes on the refusal and keeps nothing to change later', async () => {
		const fake = fakeServices();
		fake.nextReport = { ok: false, text: 'Sorry, that day is not a school day.' };
		const { replies, state } = await turn(fake, {}, 'Sam is ill today');
		expect(fake.calls).toEqual([{ service: 'report', requests: [samIllToday] }]);
		expect(replies).toEqual([{ text: 'Sorry, that day is not a school day.' }]);
		expect(state).toEqual({});
	});

	it('after answering a question, too: the question is closed and nothing is remembered', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		fake.nextReport = { ok: false, text: 'Refused.' };
		const { replies, state } = await turn(fake, asked.state, '1');
		expect(texts(replies)).toEqual(['Refused.']);
		expect(state).toEqual({});
	});
});

describe('converse: commands', () => {
	const open: BotState = {
		aliases: { buster: 'p-sam' },
		recent: { at: START.toISOString(), reportIds: ['r-9'], pupilIds: ['p-sam'], request: samIllToday }
	};

	it.each([
		['STOP', { service: 'optOut' }, 'You are opted out.'],
		['START', { service: 'optIn' }, 'You are opted in.'],
		['help', { service: 'help', text: 'help' }, 'Here is some help.'],
		['attendance', { service: 'attendance' }, 'Sam: 96% this year.'],
		['YES', { service: 'checkIn', answer: 'still_off' }, 'Noted, still off.'],
		['BACK', { service: 'checkIn', answer: 'back' }, 'Glad they are back.']
	] as [string, Call, string][])('%s calls its service and keeps the nicknames and the recent report', async (text, call, reply) => {
		const fake = fakeServices();
		const { replies, state } = await turn(fake, open, text);
		expect(fake.calls).toEqual([call]);
		expect(replies).toEqual([{ text: reply }]);
		expect(state).toEqual(open);
	});

	it('STOP while a question is open closes the question', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'off sick today');
		const { state } = await turn(fake, asked.state, 'STOP');
		expect(fake.calls).toEqual([{ service: 'optOut' }]);
		expect(state).toEqual({});
	});

	it('a greeting is answered with the menu, and a bare number with no question is not understood', async () => {
		const fake = fakeServices();
		const hello = await turn(fake, {}, 'Hello');
		expect(hello.replies[0]?.text).toMatch(/^Hello\. You can text:/);
		const number = await turn(fake, {}, '2');
		expect(number.replies[0]?.text).toMatch(/^Sorry, we did not understand that\. You can text:/);
		expect(fake.calls).toEqual([]);
	});
});

describe('converse: a state stored by an older engine', () => {
	it('a question stored without its options starts afresh: a number no longer answers it, and nothing is kept', async () => {
		const fake = fakeServices();
		const old = {
			pending: 'child',
			draft: { items: [{ pupilIds: [], reason: 'illness', dates: day(TODAY), sessions: 'BOTH' }], details: 'off sick' },
			aliases: { buster: 'p-sam' }
		} as BotState;
		const { replies, state } = await turn(fake, old, '1');
		expect(fake.calls).toEqual([]);
		expect(replies[0]?.text).toMatch(/^Sorry, we did not understand that\./);
		expect(state).toEqual({});
	});

	it.each([
		['child', { label: 'Sam', pupilIds: ['p-sam'] }],
		['reason', { label: 'Illness', reason: 'illness' }],
		['date', { label: 'today', dates: day(TODAY) }]
	] as const)('a %s question stored without its draft starts afresh rather than failing on the answer', async (pending, option) => {
		const fake = fakeServices();
		const old = { pending, options: [option] } as BotState;
		const { replies, state } = await turn(fake, old, '1');
		expect(fake.calls).toEqual([]);
		expect(replies[0]?.text).toMatch(/^Sorry, we did not understand that\./);
		expect(state).toEqual({});
	});

	it('after starting afresh, a new message is read as new', async () => {
		const fake = fakeServices();
		const old = { pending: 'reason', options: [{ label: 'Illness', reason: 'illness' }] } as BotState;
		const { state } = await turn(fake, old, 'Sam is ill today');
		expect(fake.calls).toEqual([{ service: 'report', requests: [samIllToday] }]);
		expect(state.pending).toBeUndefined();
		expect(state.options).toBeUndefined();
	});
});

describe('converse: nicknames', () => {
	it('learns the name used for a child from the answer, and understands it next time', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Buster is ill');
		expect(asked.replies).toEqual([{ text: 'We do not have a child called Buster on your account. Who is off school?', choices: ['Sam', 'Ella', 'Both'] }]);
		expect(asked.state.pending).toBe('child');

		const answered = await turn(fake, asked.state, '1');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ pupilIds: ['p-sam'], reason: 'illness' })] }]);
		expect(answered.state.aliases).toEqual({ buster: 'p-sam' });

		// An hour later (the report is no longer open to change), no question this time.
		fake.now = minutesAfter(60);
		fake.calls.length = 0;
		const later = await turn(fake, answered.state, 'Buster has a cold');
		expect(fake.calls).toEqual([{ service: 'report', requests: [{ pupilIds: ['p-sam'], reason: 'illness', details: 'Buster has a cold', dates: day(TODAY), sessions: 'BOTH' }] }]);
		expect(later.state.pending).toBeUndefined();
		expect(later.state.aliases).toEqual({ buster: 'p-sam' });
	});

	it('learns nothing when the answer is more than one child', async () => {
		const fake = fakeServices();
		const asked = await turn(fake, {}, 'Buster is ill');
		const answered = await turn(fake, asked.state, '3');
		expect(fake.calls).toEqual([{ service: 'report', requests: [expect.objectContaining({ pupilIds: ['p-sam', 'p-ella'] })] }]);
		expect(answered.state.aliases).toBeUndefined();
	});
});

describe('converse: the parent’s language', () => {
	it('asks the same question in Polish, with the same choices in Polish', async () => {
		const english = await turn(fakeServices(), {}, 'off sick today', 'en');
		const polish = await turn(fakeServices(), {}, 'off sick today', 'pl');
		expect(english.replies).toEqual([{ text: 'Who is off school?', choices: ['Sam', 'Ella', 'Both'] }]);
		expect(polish.replies).toEqual([{ text: 'Kto nie będzie w szkole?', choices: ['Sam', 'Ella', 'Oboje'] }]);
		expect(polish.replies[0]?.text).not.toBe(english.replies[0]?.text);
		// The state is the same whatever the language: only the words differ.
		expect(polish.state.pending).toBe(english.state.pending);
		expect(polish.state.options?.map((o) => o.pupilIds)).toEqual(english.state.options?.map((o) => o.pupilIds));
	});

	it('names the days in Polish when asking which day', async () => {
		const { replies } = await turn(fakeServices(), {}, 'Ella off until Friday', 'pl');
		expect(replies[0]?.text).toBe('Który dzień ma Pan/Pani na myśli?');
		expect(replies[0]?.choices?.[1]).toBe('dzisiaj');
	});
});
