import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { checkLeave, decideLeave, submitLeave } from '../../src/lib/server/features/leave/requests';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Test calendar: Autumn 2 from Mon 2 Nov 2026. "Now" is 2 Nov; the leave is Mon 23 – Tue 24 Nov. */
const NOW = new Date('2026-11-02T10:00:00Z');

describe(`leave decisions in the guardian's language (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let head: string;
	let polishMum: string;
	let kuba: string;
	let zosia: string;

	const decisions = () =>
		handle.query<{ recipient: string; body: string }>(`select recipient, body from outbound_messages where purpose = 'leave_decision' order by created_at, recipient`);
	const ask = async (guardian: string, pupilIds: string[]) => {
		const made = await submitLeave(handle, guardian, { pupilIds, type: 'exceptional', from: '2026-11-23', to: '2026-11-24', reason: 'Pogrzeb babci' }, NOW);
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		return made;
	};

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'leave-i18n', urn: '490011', misIds: ['KUBA', 'ZOSIA'] });
		schoolId = school.id;
		kuba = school.pupils.get('KUBA')!;
		zosia = school.pupils.get('ZOSIA')!;
		await handle.query(`update pupils set first_name = 'Kuba' where id = $1`, [kuba]);
		await handle.query(`update pupils set first_name = 'Zosia' where id = $1`, [zosia]);
		polishMum = await createGuardian(handle, { phone: '+447700910101' });
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [polishMum]);
		await linkGuardian(handle, polishMum, kuba);
		await linkGuardian(handle, polishMum, zosia);
		head = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'head@leave-i18n.test', 'X', 'headteacher', 'x') returning id`, [schoolId]))[0]!.id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('the rules keep their findings through the service, so the page can translate them', async () => {
		const r = await checkLeave(handle, polishMum, { pupilIds: [], type: 'exceptional', from: '2026-11-23', to: '2026-11-24', reason: 'x' }, NOW);
		expect(r).toMatchObject({ ok: false, errors: [{ field: 'pupilIds', message: 'Choose the children the leave is for', finding: { kind: 'children_missing' } }] });
	});

	it('a Polish guardian is asked for more information, then told of a decline, in Polish; the head’s words stay as written', async () => {
		const { id, reference } = await ask(polishMum, [kuba, zosia]);
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'more_info', question: 'Where is the funeral?' }, now: NOW })).toEqual({ ok: true });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'decline', note: 'Two days are too many.' }, now: new Date(NOW.getTime() + 1000) })).toEqual({ ok: true });
		const [question, decline] = await decisions();
		expect(question!.recipient).toBe('+447700910101');
		expect(question!.body).toMatch(new RegExp(`^Szkoła potrzebuje więcej informacji o Twoim wniosku o nieobecność ${reference}: Where is the funeral\\? Odpowiedz tutaj: https?://[^ ]+/leave/${reference}$`));
		expect(decline!.body).toMatch(new RegExp(`^Dyrektor nie zgodził się na Twój wniosek o nieobecność ${reference} dla: Kuba i Zosia\\. Two days are too many\\. Jeśli dziecko zostanie w domu`));
	});

	it('an approval is told in Polish with the dates in Polish', async () => {
		await handle.query(`delete from outbound_messages`);
		const { id, reference } = await ask(polishMum, [zosia]);
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'approve' }, now: NOW })).toEqual({ ok: true });
		const [pl] = await decisions();
		expect(pl!.body).toMatch(new RegExp(`^Dyrektor zgodził się na Twój wniosek o nieobecność ${reference} dla: Zosia: poniedziałek, 23 listopada 2026 – wtorek, 24 listopada 2026\\. Szczegóły: `));
	});

	it('a partial approval in Polish gives the agreed dates in Polish; an English guardian still gets the English text exactly', async () => {
		await handle.query(`delete from outbound_messages`);
		await handle.query(`update guardians set preferred_language = 'en' where id = $1`, [polishMum]);
		const english = await ask(polishMum, [zosia]);
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [polishMum]);
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: english.id, decision: { kind: 'partial', from: '2026-11-23', to: '2026-11-23', note: 'One day only.' }, now: NOW })).toEqual({ ok: true });
		const [pl] = await decisions();
		expect(pl!.body).toMatch(new RegExp(`^Dyrektor zgodził się na część Twojego wniosku o nieobecność ${english.reference} dla: Zosia: tylko poniedziałek, 23 listopada 2026\\. One day only\\. Szczegóły: `));

		await handle.query(`delete from outbound_messages`);
		await handle.query(`update guardians set preferred_language = 'en' where id = $1`, [polishMum]);
		const again = await ask(polishMum, [kuba]);
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: again.id, decision: { kind: 'decline', note: 'Not exceptional.' }, now: NOW })).toEqual({ ok: true });
		const [en] = await decisions();
		expect(en!.body).toMatch(new RegExp(`^The headteacher has not agreed your leave request ${again.reference} for Kuba\\. Not exceptional\\. If Kuba is kept off, the days will be unauthorised\\. Details: `));
	});
});
