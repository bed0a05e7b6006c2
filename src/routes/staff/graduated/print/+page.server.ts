import type { PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { printBatch } from '$lib/server/features/graduated-response';

/** The printable batch of a monitoring point: one letter a page, for families with no phone or email. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const point = (url.searchParams.get('point') ?? '').slice(0, 120);
	const letters = await printBatch(locals.database, staff.schoolId, point);
	return { point, letters: letters.map((l) => ({ id: l.id, content: l.content, date: l.createdAt.toISOString().slice(0, 10) })) };
};
