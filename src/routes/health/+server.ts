import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { healthReport } from '$lib/server/platform/health';

/** For load balancers and monitoring: 200 when the database answers, 503 otherwise; outbox backlog. No personal data. */
export const GET: RequestHandler = async () => {
	const report = await healthReport(getDatabase);
	return json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
};
