import type { RequestHandler } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laOverview, overviewCsv } from '$lib/server/features/local-authority';

/** The view across schools as CSV (figures only, no names). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const overview = (await laOverview(locals.database, staff, { academicYear: url.searchParams.get('year') ?? undefined }))!;
	const name = `attendance-across-schools-${overview.academicYear.replace('/', '-')}.csv`;
	return new Response(overviewCsv(overview), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' }
	});
};
