import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { reportFormJson, submitReportForm } from '../../src/lib/server/features/absence/report-form';
import { importRegisterCsv, importRegisterMarks } from '../../src/lib/server/features/register-import';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/**
 * Malformed input at the boundaries: whatever arrives, no crash, a clear error, and
 * nothing half-written. Property-based: fast-check generates the input; a failure prints the
 * smallest input that breaks the property.
 */
const FORM_FIELDS = new Set(['pupilIds', 'when', 'date', 'from', 'to', 'reason', 'details']);

describe(`malformed input (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let parent: string;
	let sam: string;
	const count = async (table: string) => (await handle.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'fuzz', urn: '440001', misIds: ['SAM', 'AVA'] });
		sam = school.pupils.get('SAM')!;
		parent = await createGuardian(handle, { phone: '+447700906001' });
		await linkGuardian(handle, parent, sam);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('the report form answers any answers with stored reports or field errors, never half a report', async () => {
		const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '2026-11-05', '2026-11-06', '2026-02-30', '31/12/2026', '2026-10-27'));
		const outcomes = { stored: 0, refused: 0 };
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					pupilIds: fc.oneof(
						{ arbitrary: fc.constant([sam]), weight: 3 },
						{ arbitrary: fc.array(fc.oneof(fc.constant(sam), fc.uuid(), fc.string({ maxLength: 40 })), { maxLength: 3 }), weight: 1 }
					),
					when: fc.oneof({ arbitrary: fc.constantFrom('today', 'day', 'range', 'ufn'), weight: 3 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 }),
					date: text,
					from: text,
					to: text,
					reason: fc.oneof({ arbitrary: fc.constantFrom('illness', 'medical_appointment', 'other', 'bereavement'), weight: 3 }, { arbitrary: text, weight: 1 }),
					details: fc.string({ maxLength: 600 }),
					idempotencyKey: fc.uuid()
				}),
				async (values) => {
					const before = await count('absence_reports');
					const sessionsBefore = await count('absence_report_sessions');
					const result = await submitReportForm(handle, parent, { ...values, pupilIds: [...values.pupilIds] }, 'web', new Date('2026-11-05T08:00:00Z'));
					const after = await count('absence_reports');
					outcomes[result.ok ? 'stored' : 'refused']++;
					if (result.ok) {
						const created = result.reports.filter((r) => r.created).length;
						expect(after - before).toBe(created);
						for (const r of result.reports) expect(r.sessions.length).toBeGreaterThan(0);
						// A new report brings its sessions; one added to an earlier report of the same day
						// brings only the sessions that report did not have yet (none for a repeat).
						const sessionsAfter = await count('absence_report_sessions');
						if (created > 0) expect(sessionsAfter).toBeGreaterThan(sessionsBefore);
						else expect(sessionsAfter).toBeGreaterThanOrEqual(sessionsBefore);
					} else {
						expect(after).toBe(before);
						expect(await count('absence_report_sessions')).toBe(sessionsBefore);
						expect(result.errors.length).toBeGreaterThan(0);
						for (const e of result.errors) {
							expect(FORM_FIELDS.has(e.field)).toBe(true);
							expect(e.message.length).toBeGreaterThan(5);
						}
					}
				}
			),
			{ numRuns: 80, seed: 20261105 }
		);
		// The generator reaches both outcomes, so the property was tested on each.
		expect(outcomes.stored).toBeGreaterThan(0);
		expect(outcomes.refused).toBeGreaterThan(0);
	});

	it('the JSON API schema refuses anything that is not the form’s shape', () => {
		fc.assert(
			fc.property(fc.anything(), (body) => {
				const parsed = reportFormJson.safeParse(body);
				if (parsed.success) {
					expect(Array.isArray(parsed.data.pupilIds)).toBe(true);
					expect(typeof parsed.data.idempotencyKey).toBe('string');
					expect(parsed.data.idempotencyKey.length).toBeGreaterThanOrEqual(8);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('a register CSV of any text is applied whole or rejected whole', async () => {
		const line = fc.oneof(
			fc.string({ maxLength: 40 }),
			fc.constantFrom('UPN,Date,AM,PM', 'SAM,05/11/2026,/,N', 'AVA,2026-11-05,I,I', 'SAM,05/11/2026,ZZ,/', 'NOPE,05/11/2026,/,/', '"unterminated,1', 'SAM,30/02/2026,/,/')
		);
		await fc.assert(
			fc.asyncProperty(fc.array(line, { maxLength: 6 }), async (lines) => {
				const marksBefore = await handle.query<{ pupil_id: string; date: string; session: string; code: string }>(
					`select pupil_id, date::text, session::text, code from attendance_marks order by 1, 2, 3`
				);
				const result = await importRegisterCsv(handle, { schoolId: school.id, importedBy: 'fuzz', input: lines.join('\r\n') });
				expect(['applied', 'rejected']).toContain(result.status);
				if (result.status === 'rejected') {
					expect(result.errors.length).toBeGreaterThan(0);
					const marksAfter = await handle.query(`select pupil_id, date::text, session::text, code from attendance_marks order by 1, 2, 3`);
					expect(marksAfter).toEqual(marksBefore);
				}
			}),
			{ numRuns: 60 }
		);
	});

	it('the MIS JSON import refuses or applies any payload without crashing', async () => {
		await fc.assert(
			fc.asyncProperty(fc.anything(), async (payload) => {
				try {
					const result = await importRegisterMarks(handle, { schoolId: school.id, importedBy: 'fuzz', marks: payload });
					expect(['applied', 'rejected']).toContain(result.status);
				} catch (err) {
					// The only thrown error is the envelope refusal, with a status and a message.
					expect((err as Error).name).toBe('MarksPayloadError');
					expect((err as Error).message.length).toBeGreaterThan(5);
				}
			}),
			{ numRuns: 100 }
		);
	});
});
