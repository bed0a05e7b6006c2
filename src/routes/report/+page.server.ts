import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { inArray } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { schools } from '$lib/server/db/schema';
import { childrenOfGuardian } from '$lib/server/children';
import { submitAbsenceReport, type FieldError } from '$lib/server/absence-reports';
import { MAX_DETAILS_LENGTH, isAbsenceReason } from '$lib/domain/absence';
import { localDateOf } from '$lib/domain/calendar';

const SCHOOL_TIME_ZONE = 'Europe/London';
const WHEN_OPTIONS = ['today', 'day', 'range', 'ufn'] as const;
type When = (typeof WHEN_OPTIONS)[number];

/** '09:15:00' → '9:15'. */
function clockTime(t: string): string {
	const [h = '0', m = '00'] = t.split(':');
	return `${Number(h)}:${m}`;
}

interface ReportFormValues {
	pupilIds: string[];
	when: string;
	date: string;
	from: string;
	to: string;
	reason: string;
	details: string;
	idempotencyKey: string;
}

export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const handle = await getDatabase();
	const children = await childrenOfGuardian(handle.db, guardian.id);
	const schoolIds = [...new Set(children.map((c) => c.schoolId))];
	const schoolRows =
		schoolIds.length === 0
			? []
			: await handle.db
					.select({ id: schools.id, name: schools.name, amCloses: schools.amRegisterCloses })
					.from(schools)
					.where(inArray(schools.id, schoolIds));
	return {
		children: children.map((c) => ({
			pupilId: c.pupilId,
			name: `${c.preferredName ?? c.firstName} ${c.lastName}`,
			schoolName: c.schoolName
		})),
		schools: schoolRows.map((s) => ({ name: s.name, closes: clockTime(s.amCloses) })),
		today: localDateOf(new Date(), SCHOOL_TIME_ZONE),
		idempotencyKey: randomUUID(),
		maxDetails: MAX_DETAILS_LENGTH
	};
};

function fieldAnchor(field: string, when: string): string {
	switch (field) {
		case 'pupilIds':
			return 'pupilIds';
		case 'reason':
			return 'reason';
		case 'details':
			return 'details';
		case 'to':
			return 'to';
		case 'when':
			return 'when';
		case 'from':
			return when === 'day' ? 'date' : when === 'range' ? 'from' : 'when';
		default:
			return 'when';
	}
}

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const form = await request.formData();
		const text = (name: string, max = 1000) => String(form.get(name) ?? '').slice(0, max);
		const values: ReportFormValues = {
			pupilIds: form
				.getAll('pupilId')
				.map((v) => String(v))
				.slice(0, 20),
			when: text('when', 10),
			date: text('date', 20).trim(),
			from: text('from', 20).trim(),
			to: text('to', 20).trim(),
			reason: text('reason', 40),
			details: text('details', 2000),
			idempotencyKey: text('idempotencyKey', 200) || randomUUID()
		};

		const errors: FieldError[] = [];
		if (values.pupilIds.length === 0) errors.push({ field: 'pupilIds', message: 'Choose who is off school' });
		const when = (WHEN_OPTIONS as readonly string[]).includes(values.when) ? (values.when as When) : null;
		if (!when) errors.push({ field: 'when', message: 'Choose when they will be off' });
		if (when === 'day' && !values.date) errors.push({ field: 'from', message: 'Enter the date they will be off' });
		if (when === 'range') {
			if (!values.from) errors.push({ field: 'from', message: 'Enter the first day they will be off' });
			if (!values.to) errors.push({ field: 'to', message: 'Enter the last day they will be off' });
		}
		if (!isAbsenceReason(values.reason)) errors.push({ field: 'reason', message: 'Choose why they will be off' });
		const details = values.details.trim();
		if (values.reason === 'other' && !details) errors.push({ field: 'details', message: 'Tell the school the reason' });
		if (details.length > MAX_DETAILS_LENGTH) {
			errors.push({ field: 'details', message: `Keep the details to ${MAX_DETAILS_LENGTH} characters or fewer` });
		}

		const show = (errs: FieldError[]) =>
			fail(400, {
				values,
				errors: errs.map((e) => ({ field: fieldAnchor(e.field, values.when), message: e.message }))
			});
		if (errors.length > 0 || !when || !isAbsenceReason(values.reason)) return show(errors);

		const today = localDateOf(new Date(), SCHOOL_TIME_ZONE);
		const from = when === 'day' ? values.date : when === 'range' ? values.from : today;
		const handle = await getDatabase();
		const result = await submitAbsenceReport(handle, {
			guardianId: guardian.id,
			pupilIds: values.pupilIds,
			reason: values.reason,
			details: details || undefined,
			from,
			to: when === 'range' ? values.to : null,
			untilFurtherNotice: when === 'ufn',
			channel: 'web',
			idempotencyKey: values.idempotencyKey
		});
		if ('errors' in result) return show(result.errors);
		redirect(303, `/report/done?refs=${result.reports.map((r) => r.reference).join(',')}`);
	}
};
