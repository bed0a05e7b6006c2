import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { healthReport } from '$lib/server/features/operations';

/** For load balancers and monitoring: 200 when the database answers, 503 otherwise; outbox backlog. No personal data. */
export const GET: RequestHandler = async ({ locals }) => {
	const report = await healthReport(async () => locals.database);
	return json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
};
