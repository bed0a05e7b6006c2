import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { deadLetters, retryFailedMessage } from '$lib/server/features/operations';
import { schoolTimeZone } from '$lib/server/features/schools';

/** Only the end of a number or address is shown: enough to recognise, not to copy. */
const mask = (recipient: string) => (recipient.includes('@') ? `…@${recipient.split('@')[1]}` : `…${recipient.slice(-3)}`);

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	const rows = await deadLetters(locals.database.db, staff.schoolId);
	const timeZone = await schoolTimeZone(locals.database.db, staff.schoolId);
	return {
		messages: rows.map((m) => ({
			id: m.id,
			channel: m.channel,
			purpose: m.purpose.replace(/_/g, ' '),
			to: m.channel === 'push' ? 'a browser' : mask(m.recipient),
			error: m.lastError ?? m.providerStatus ?? '',
			attempts: m.attempts,
			at: m.createdAt.toLocaleString('en-GB', { timeZone }),
			retryable: m.providerStatus !== 'opted_out' && m.providerStatus !== 'gone'
		}))
	};
};

export const actions: Actions = {
	retry: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const id = String((await request.formData()).get('id') ?? '');
		const { db } = locals.database;
		if (!(await retryFailedMessage(db, staff, id))) return fail(404, { message: 'That message cannot be retried' });
		return { done: 'The message is back in the queue.' };
	}
};
