import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	ensureDefaultDirectory,
	exportDirectory,
	findServices,
	importDirectory,
	listDirectories,
	signpostsAsText,
	signpostsFor
} from '../../src/lib/server/features/support/directory';
import portsmouth from '../../src/lib/server/features/support/portsmouth.json';
import { createTestSchool } from '../fixtures/register/school';
import { directoryProblemText } from '../../src/lib/i18n-staff-problems';

describe(`support directory (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'sup', urn: '450001', misIds: ['A'] });
		schoolId = school.id;
		await handle.query(`update schools set name = 'Support Primary', phone = '023 9200 0002', email = 'office@support.test' where id = $1`, [schoolId]);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('loads the bundled Portsmouth directory once', async () => {
		expect(await ensureDefaultDirectory(handle)).toBe(true);
		expect(await ensureDefaultDirectory(handle)).toBe(false);
		expect(await listDirectories(handle)).toEqual([{ slug: 'portsmouth', name: portsmouth.directory.name, services: 30 }]);
	});

	it('exports exactly what it imported, in order, so an admin can edit and re-import it', async () => {
		const exported = await exportDirectory(handle, 'portsmouth');
		expect(exported!.directory).toEqual(portsmouth.directory);
		expect(exported!.services).toEqual(portsmouth.services);
		// Re-importing the export changes nothing.
		expect(await importDirectory(handle, exported, { type: 'system' })).toEqual({ ok: true, slug: 'portsmouth', services: 30 });
		expect(await exportDirectory(handle, 'portsmouth')).toEqual(exported);
		expect(await exportDirectory(handle, 'nowhere')).toBeNull();
	});

	it('drops NUL characters from an uploaded file instead of failing the import', async () => {
		const exported = structuredClone(await exportDirectory(handle, 'portsmouth')) as { services: { name: string }[] };
		const name = exported.services[0]!.name;
		exported.services[0]!.name = `${name}\u0000`;
		expect(await importDirectory(handle, exported, { type: 'staff' })).toEqual({ ok: true, slug: 'portsmouth', services: 30 });
		expect((await exportDirectory(handle, 'portsmouth'))!.services[0]!.name).toBe(name);
	});

	it('rejects an invalid file whole, listing every problem, and keeps the directory as it was', async () => {
		const before = await exportDirectory(handle, 'portsmouth');
		const bad = structuredClone(portsmouth) as { directory: { slug: string }; services: Record<string, unknown>[] };
		bad.services[0]!.category = 'astrology';
		bad.services[2]!.link = 'javascript:alert(1)';
		delete bad.services[4]!.name;
		const result = await importDirectory(handle, bad, { type: 'staff' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => e.where)).toEqual(['services[0].category', 'services[2].link', 'services[4].name']);
		expect(result.errors.map(directoryProblemText)).toEqual([
			expect.stringMatching(/^services\[0\]\.category must be one of: illness, /),
			expect.stringMatching(/^services\[2\]\.link must/),
			expect.stringMatching(/^services\[4\]\.name /)
		]);
		expect(await exportDirectory(handle, 'portsmouth')).toEqual(before);
		expect((await importDirectory(handle, { nonsense: true }, { type: 'staff' })).ok).toBe(false);
		expect((await importDirectory(handle, 'not json at all', { type: 'staff' })).ok).toBe(false);
	});

	it('another authority loads its own directory beside Portsmouth', async () => {
		const result = await importDirectory(
			handle,
			{
				directory: { slug: 'southsea-test', name: 'Test authority', source: 'Test authority guidance' },
				services: [{ category: 'transport', name: 'Test buses', overview: 'Free buses for pupils.', link: 'https://example.org/buses', source: 'Test council' }]
			},
			{ type: 'staff' }
		);
		expect(result).toEqual({ ok: true, slug: 'southsea-test', services: 1 });
		expect((await findServices(handle, { directory: 'southsea-test' })).map((s) => s.name)).toEqual(['Test buses']);
		expect((await findServices(handle, {})).length).toBe(30);
	});

	it('searches by words and by need', async () => {
		const names = async (search: string) => (await findServices(handle, { search })).map((s) => s.name);
		expect(await names('kooth')).toEqual(['Kooth']);
		expect(await names('uniform')).toEqual(['Uniform Share Store']);
		expect(await names('bus')).toEqual(['School transport and travel']);
		const anxious = await findServices(handle, { search: 'anxious' });
		expect(anxious.map((s) => s.name)).toEqual(expect.arrayContaining(['Kooth', 'No Limits']));
		// Six mental health services, less the one for children with a learning disability (its topics are not named).
		expect(anxious).toHaveLength(5);
		expect(anxious.map((s) => s.name)).not.toContain('Child and Adolescent Mental Health Service Learning Disabilities Team (CAMHS-LD)');
		expect(anxious.every((s) => s.category === 'mental_health')).toBe(true);
		// A word in the overview finds the service, whatever its category.
		expect(await names('anxiety')).toEqual(expect.arrayContaining(['Kooth', 'ELSA – Emotional Literacy Support Assistants']));
		expect(await names('zzzz nothing')).toEqual([]);
		expect((await findServices(handle, { categories: [] })).length).toBe(0);
	});

	it('signposts an illness report with the school first (one tap to call) and the illness guide; no service that cannot help or cannot be reached', async () => {
		const s = await signpostsFor(handle, { reason: 'illness', text: 'been sick in the night and has a cough', schoolIds: [schoolId] });
		expect(s.schools).toEqual([{ name: 'Support Primary', phone: '023 9200 0002', phoneHref: 'tel:+442392000002', email: 'office@support.test' }]);
		expect(s.categories).toEqual(['illness']);
		// The nursing service, the "can they go today" guide and the Vision and Hearing Team have no
		// web address or contact in the source (dead ends); the therapy service is for physiotherapy
		// and speech, not a cough.
		expect(s.services).toEqual([]);
		expect(s.illness.map((g) => g.key)).toEqual(['cough_cold', 'vomiting_diarrhoea']);
		const text = signpostsAsText(s, { origin: 'https://everyday.test', max: 1 });
		expect(text).toBe(
			[
				'Support Primary can help: 023 9200 0002 or office@support.test.',
				'Coughs and colds: They can go to school if they feel well enough and have no temperature.',
				'More help: https://everyday.test/support'
			].join('\n')
		);
	});

	it('brings up a specialist service when the family names what it is for, with its one-tap link', async () => {
		const physio = await signpostsFor(handle, { reason: 'medical_appointment', text: 'physio for her knee' });
		expect(physio.services.map((x) => x.name)).toEqual(['Children’s Therapy Service']);
		expect(physio.services[0]!.link).toMatch(/^https:\/\/www\.solent\.nhs\.uk\//);
		const autism = await signpostsFor(handle, { text: 'he is autistic and had a meltdown' });
		expect(autism.services.map((x) => [x.name, x.contactHref])).toEqual([['The Neurodiversity Team', 'mailto:neurodiversity0-19enquiries@portsmouthcc.gov.uk']]);
		// Searching the page: a cough finds no specialist service either, and every result is one tap away.
		const cough = await findServices(handle, { search: 'cough', for: { family: true } });
		expect(cough.map((x) => x.name)).not.toContain('Vision and Hearing Team');
		expect(cough.map((x) => x.name)).not.toContain('Children’s Therapy Service');
		const everything = await findServices(handle, { for: { family: true } });
		expect(everything.length).toBeGreaterThan(10);
		expect(everything.every((x) => x.link !== null || x.contactHref !== null)).toBe(true);
		// The admin's list still has the dead ends, to fix them.
		const admin = await findServices(handle, { categories: ['illness'] });
		expect(admin.map((x) => x.name)).toContain('Vision and Hearing Team');
	});

	it('keeps an authority’s phone contact as a tel: link in E.164', async () => {
		const file = structuredClone(portsmouth) as { directory: { slug: string }; services: Record<string, unknown>[] };
		file.directory.slug = 'phone-test';
		file.services = [{ category: 'illness', name: 'Nursing line', overview: 'Advice on health at school.', link: null, contact: '023 9284 1419', source: 'Test Local Offer' }];
		expect((await importDirectory(handle, file, { type: 'system' })).ok).toBe(true);
		const [nursing] = await findServices(handle, { directory: 'phone-test', for: { family: true } });
		expect(nursing!.contactHref).toBe('tel:+442392841419');
	});

	it('signposts anxiety and transport from the parent’s words; nothing for a plain appointment', async () => {
		const anxious = await signpostsFor(handle, { reason: 'other', text: 'she is too anxious to come in' });
		expect(anxious.categories).toEqual(['mental_health']);
		expect(anxious.services.every((x) => x.category === 'mental_health')).toBe(true);
		expect(anxious.illness).toEqual([]);
		const bus = await signpostsFor(handle, { text: 'the bus did not come' });
		expect(bus.services.map((x) => x.name)).toEqual(['School transport and travel']);
		const dentist = await signpostsFor(handle, { reason: 'religious_observance', text: 'Eid' });
		expect(dentist.services).toEqual([]);
	});

	describe('matched to the family’s children', () => {
		const on = '2026-12-03';
		async function family(label: string, children: { yearGroup: number; dateOfBirth: string | null }[]): Promise<string> {
			const [g] = await handle.query<{ id: string }>(`insert into guardians (first_name, last_name) values ($1, 'Family') returning id`, [label]);
			for (const [n, c] of children.entries()) {
				const [p] = await handle.query<{ id: string }>(
					`insert into pupils (school_id, mis_id, first_name, last_name, year_group, date_of_birth) values ($1, $2, 'Child', $3, $4, $5) returning id`,
					[schoolId, `${label}-${n}`, label, c.yearGroup, c.dateOfBirth]
				);
				await handle.query(`insert into pupil_guardians (pupil_id, guardian_id, relationship) values ($1, $2, 'parent')`, [p!.id, g!.id]);
			}
			return g!.id;
		}
		const anxietyNames = async (guardianId?: string) =>
			(await signpostsFor(handle, { text: 'she is anxious and lonely, a young carer', schoolIds: [schoolId], guardianId, on })).services.map((s) => s.name);

		it('leaves the 11–25 service out for a primary family and offers it to a secondary one', async () => {
			await ensureDefaultDirectory(handle);
			const primary = await family('primary', [
				{ yearGroup: 2, dateOfBirth: '2019-05-01' },
				{ yearGroup: 5, dateOfBirth: null }
			]);
			const secondary = await family('secondary', [{ yearGroup: 7, dateOfBirth: '2015-10-10' }]);
			const primaryNames = await anxietyNames(primary);
			expect(primaryNames).not.toContain('Kooth');
			expect(primaryNames).toEqual(expect.arrayContaining(['No Limits', 'Young Carers Team']));
			const secondaryNames = await anxietyNames(secondary);
			expect(secondaryNames).toContain('Kooth');
			// A parent we know nothing of the children of still sees the 11–25 service.
			expect(await anxietyNames()).toContain('Kooth');
		});

		it('offers the 5–25 service only when a child is 5 or may be (Reception is 4 to 5)', async () => {
			const nursery = await family('nursery', [{ yearGroup: -1, dateOfBirth: null }]);
			const reception = await family('reception', [{ yearGroup: 0, dateOfBirth: null }]);
			expect(await anxietyNames(nursery)).not.toContain('Young Carers Team');
			expect(await anxietyNames(reception)).toContain('Young Carers Team');
		});

		it('never offers a professionals-only service to a family, though the admin’s list has it', async () => {
			const secondary = await family('secondary-sen', [{ yearGroup: 8, dateOfBirth: null }]);
			const sen = await signpostsFor(handle, { text: 'he has special needs and an ehcp', schoolIds: [schoolId], guardianId: secondary, on });
			expect(sen.services.map((s) => s.name)).toEqual(['Portsmouth educational psychology service']);
			const signedOut = await findServices(handle, { categories: ['sen', 'eal', 'semh_in_school'], for: { family: true } });
			expect(signedOut.every((s) => s.audience !== 'professionals')).toBe(true);
			expect(signedOut.map((s) => s.name)).toEqual(['Portsmouth educational psychology service', 'ELSA – Emotional Literacy Support Assistants']);
			const all = await findServices(handle, { categories: ['sen'] });
			expect(all.map((s) => s.name)).toContain('Inclusion Outreach Service');
		});
	});

	it('refuses an audience it does not know and ages out of order or range, saying where', async () => {
		const bad = structuredClone(portsmouth) as { services: Record<string, unknown>[] };
		bad.services[0]!.audience = 'teachers';
		bad.services[1]!.minAge = 12;
		bad.services[1]!.maxAge = 11;
		bad.services[2]!.maxAge = 30;
		bad.services[3]!.minAge = -1;
		const result = await importDirectory(handle, bad, { type: 'staff' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map(directoryProblemText)).toEqual([
			'services[0].audience must be one of: families, children_young_people, professionals',
			'services[1].maxAge must not be below minAge',
			'services[2].maxAge must be a whole number of years from 0 to 25',
			'services[3].minAge must be a whole number of years from 0 to 25'
		]);
	});
});
