/**
 * Today's board for the member of staff's own school (docs/domain-rules.md §3 and §5): the day's
 * absence reports with an Acknowledge button each, pupils marked N with no reason yet (first
 * day contact), N marks over 5 school days, and a CSV download for the MIS.
 *
 * Acknowledge is a plain form action and the filters and sorting are query parameters, so the
 * board works without JavaScript; with it, the page polls for changes.
 */
import { fail } from '@sveltejs/kit';
import { tryAgainIn } from '$lib/domain/retry';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { acknowledgeAbsenceReport } from '$lib/server/features/absence';
import { boardVersion, loadSchoolCalendar, overdueNMarks, schoolDayBoard, sendFirstDayContacts } from '$lib/server/features/school-day';
import { isFiltered, parseBoardView } from '$lib/domain/board-view';
import { ABSENCE_REASON_LABELS, longDate, partDayLabel, reporterLabel, reporterNeedsAttention, reporterNotes } from '$lib/domain/absence';
import { isSchoolDay, localDateOf, localTimeOf, nextSchoolDay, previousSchoolDay, type Session } from '$lib/domain/calendar';
import { markVoicemailHandled, voicemailFingerprint, voicemailsToListenTo } from '$lib/server/features/phone-line';
import { boardDate } from './day';
import { childDisplayName, yearGroupLabel } from '$lib/domain/pupils';

/** How far a message got, as staff would say it. */
function deliveryLabel(status: string, providerStatus: string | null): string {
	if (providerStatus === 'undelivered' || providerStatus === 'failed') return 'not delivered';
	if (status === 'delivered' || providerStatus === 'delivered') return 'delivered';
	if (status === 'sent') return 'sent';
	if (status === 'failed' || status === 'dead') return 'could not be sent';
	return 'waiting to send';
}

/** How a report reached the school, as staff say it. */
const REPORT_CHANNEL_LABELS: Record<'web' | 'sms' | 'telegram' | 'phone' | 'whatsapp', string> = { web: 'website', sms: 'text message', telegram: 'Telegram', phone: 'phone line', whatsapp: 'WhatsApp' };

const classLabel = (p: { yearGroup: number; className: string | null }) =>
	`${yearGroupLabel(p.yearGroup)}${p.className ? `, ${p.className}` : ''}`;
const sessionsLabel = (s: readonly Session[]) =>
	s.length === 2 ? 'All day' : s[0] === 'AM' ? 'Morning' : 'Afternoon';
const CHANNEL_LABELS = { sms: 'Text message', telegram: 'Telegram', push: 'App notification', email: 'Email', whatsapp: 'WhatsApp' } as const;
const STATUS_LABELS = { open: 'New', acknowledged: 'Acknowledged', withdrawn: 'Withdrawn' } as const;
/** Why a call became a recording for the office, as staff would say it. */
const VOICEMAIL_REASONS: Record<string, string> = {
	after_report: 'Reported an absence by keypad, then left more words',
	unknown_caller: 'Number not on record',
	asked_for_person: 'Asked for the office',
	not_understood: 'The phone line could not follow the keypad presses',
	not_recorded: 'The absence could not be recorded by keypad'
};

export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
	const today = localDateOf(new Date(), cal.timeZone);
	const date = boardDate(url, cal.timeZone);
	// Filters and sort come from the query string (a GET form and header links).
	const view = parseBoardView(url.searchParams);

	const [board, overdue, boardFingerprint, voicemails, voicemailVersion] = await Promise.all([
		schoolDayBoard(handle, staff.schoolId, date, view),
		overdueNMarks(handle, staff.schoolId, today),
		boardVersion(handle, staff.schoolId, date),
		voicemailsToListenTo(handle.db, staff.schoolId),
		voicemailFingerprint(handle.db, staff.schoolId)
	]);
	const version = `${boardFingerprint}|${voicemailVersion}`;
	const { reports, unexplained } = board;

	return {
		// Back from turning a voicemail into a report: its reference, to say it was stored.
		reportedFromVoicemail: (url.searchParams.get('reported') ?? '').replace(/[^A-Z0-9, -]/g, '').slice(0, 60) || null,
		date,
		view,
		filtered: isFiltered(view),
		totals: board.totals,
		version,
		dateLabel: longDate(date),
		isToday: date === today,
		isSchoolDay: isSchoolDay(cal, date),
		previousDay: previousSchoolDay(cal, date) ?? null,
		nextDay: nextSchoolDay(cal, date) ?? null,
		reports: reports.map((r) => ({
			id: r.reportId,
			reference: r.reference,
			name: childDisplayName(r),
			pupilId: r.pupilId,
			className: classLabel(r),
			reason: r.reasonLabel,
			details: r.details,
			sessions: r.sessions.length ? sessionsLabel(r.sessions.map((s) => s.session)) : 'Not absent at registration',
			partDay: r.partDay ? partDayLabel(r.partDay) : null,
			reporter: r.reporter ? reporterLabel(r.reporter) : 'Someone no longer on the system',
			reporterName: r.reporter ? r.reporter.name : 'Someone no longer on the system',
			reporterNotes: r.reporter ? reporterNotes(r.reporter) : '',
			reporterNote: r.reporter ? reporterNeedsAttention(r.reporter) : true,
			suggestedCode: r.sessions.length ? [...new Set(r.sessions.map((s) => s.suggestedCode))].join(', ') : '—',
			late: r.late,
			// When and how it came in, as staff would ask on the phone ("when did they tell us?").
			reportedAt: localTimeOf(r.submittedAt, cal.timeZone),
			via: REPORT_CHANNEL_LABELS[r.channel],
			// Reported again for the same day: one report, with each later sending under it.
			history: r.history.map((h) => ({
				at: localTimeOf(h.receivedAt, cal.timeZone),
				via: REPORT_CHANNEL_LABELS[h.channel],
				// A later sending that gave another reason says so: the row keeps the first one.
				reason: h.reason !== r.reason ? ABSENCE_REASON_LABELS[h.reason] : null,
				details: h.details,
				added: h.sessionsAdded
			})),
			status: r.status,
			statusLabel: STATUS_LABELS[r.status]
		})),
		unexplained: unexplained.map((p) => ({
			pupilId: p.pupilId,
			name: childDisplayName(p),
			className: classLabel(p),
			sessions: sessionsLabel(p.sessions),
			contactedAt: p.contactedAt ? localTimeOf(p.contactedAt, cal.timeZone) : null,
			// What went, not what the parent prefers: the channel each message took and how far it got.
			contactSent: p.contactMessages.map((c) => `${CHANNEL_LABELS[c.channel]}: ${deliveryLabel(c.status, c.providerStatus)}`),
			guardians: p.guardians.map((g) => ({
				name: g.name,
				relationship: g.relationship,
				channel: CHANNEL_LABELS[g.channel],
				contact: g.channel === 'email' ? (g.email ?? g.phone) : (g.phone ?? g.email)
			}))
		})),
		// Every recording not yet handled, whatever day is shown: a message left yesterday evening still needs listening to.
		voicemails: voicemails.map((v) => ({
			callSid: v.callSid,
			caller: v.callerName ? `${v.callerName} (${v.fromNumber})` : `Unknown caller (${v.fromNumber})`,
			about: VOICEMAIL_REASONS[v.reportReference ? 'after_report' : (v.reason ?? 'unknown_caller')] ?? VOICEMAIL_REASONS.unknown_caller,
			reportReference: v.reportReference,
			seconds: v.seconds,
			recordedAt: `${localDateOf(v.recordedAt, cal.timeZone) === today ? 'Today' : longDate(localDateOf(v.recordedAt, cal.timeZone))}, ${localTimeOf(v.recordedAt, cal.timeZone)}`
		})),
		overdue: overdue.map((m) => ({
			key: `${m.pupilId}|${m.date}`,
			pupilId: m.pupilId,
			name: childDisplayName(m),
			className: classLabel(m),
			date: longDate(m.date),
			sessions: sessionsLabel(m.sessions),
			schoolDays: m.schoolDays
		}))
	};
};

export const actions: Actions = {
	acknowledge: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const reportId = String(form.get('reportId') ?? '');
		const handle = locals.database;
		const result = await acknowledgeAbsenceReport(handle, { staffUserId: staff.id, schoolId: staff.schoolId, reportId });
		if (!result.ok) return fail(result.error === 'not_found' ? 404 : 409, { reportId, message: result.message });
		return { acknowledged: reportId };
	},
	/** Every report the member of staff had on screen, in one go (each one checked as if alone). */
	acknowledgeAll: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const ids = (await request.formData()).getAll('reportId').map(String).slice(0, 500);
		let acknowledged = 0;
		for (const reportId of new Set(ids)) {
			const result = await acknowledgeAbsenceReport(locals.database, { staffUserId: staff.id, schoolId: staff.schoolId, reportId });
			if (result.ok) acknowledged++;
		}
		return { acknowledgedAll: acknowledged };
	},
	/** A recording from the phone line has been listened to and dealt with. */
	voicemailHandled: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const callSid = String((await request.formData()).get('callSid') ?? '');
		if (!(await markVoicemailHandled(locals.database.db, staff, callSid))) return fail(404, { message: 'That voicemail has already been marked as handled.' });
		return { voicemailHandled: callSid };
	},
	/** First day contact: ask the parents of one pupil (pupilId) or of every unexplained absence. */
	contact: async ({ locals, request, url }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const pupilId = String(form.get('pupilId') ?? '');
		const handle = locals.database;
		const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
		const date = boardDate(url, cal.timeZone);
		if (date !== localDateOf(new Date(), cal.timeZone)) {
			return fail(400, { message: 'Families can only be messaged about today’s absences.' });
		}
		const result = await sendFirstDayContacts(handle, {
			schoolId: staff.schoolId,
			date,
			pupilIds: pupilId ? [pupilId] : undefined,
			staffUserId: staff.id
		});
		if (result.retryAfterSeconds) {
			return fail(429, { message: `You have sent a lot of messages in the last few minutes. ${tryAgainIn(result.retryAfterSeconds)}` });
		}
		return { contacted: result.contacted.length, unreachable: result.unreachable.length, alreadyContacted: result.alreadyContacted.length };
	}
};
