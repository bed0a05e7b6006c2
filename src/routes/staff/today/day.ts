/** Which school day the board shows: today in the school's time zone, or a valid `?date=`. */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { isValidIsoDate, localDateOf, type IsoDate } from '$lib/domain/calendar';

const dateParam = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.refine((v) => isValidIsoDate(v));

export function boardDate(url: URL, timeZone: string, now = new Date()): IsoDate {
	const raw = url.searchParams.get('date');
	if (raw === null || raw === '') return localDateOf(now, timeZone);
	const parsed = dateParam.safeParse(raw);
	if (!parsed.success) error(400, 'The date must be a real date written as YYYY-MM-DD, for example 2026-11-05');
	return parsed.data;
}
