/**
 * Every Day Counts campaigns: staff compose a message for an audience (whole school,
 * a year group, a class, or families in an attendance band) on chosen channels; the scheduler
 * queues it once, when due, through the outbox: one message per child per parent per channel
 * (per browser for push). Keys make a retry or a second worker queue nothing twice; the outbox
 * honours SMS STOP and removes gone push subscriptions. Results come from the outbox rows.
 */
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { BANDS, daysFromSessions, type Band } from '../../../domain/attendance';
import {
	CAMPAIGN_TEMPLATES,
	CAMPAIGN_TRANSLATION_LOCALES,
	SEND_LATER_MAX_DAYS,
	campaignVersionFor,
	mergeValuesFor,
	renderMessage,
	smsCostEstimate,
	unknownMergeFields,
	type CampaignTranslationLocale,
	toneConflict,
	type CampaignTranslations,
	type MergeFigures
} from '../../../domain/campaigns';
import { smsSegments } from '../../../domain/sms';
import { familiesOptedOut, reachDifferences, summariseReach, type CampaignReach, type FamilyQueued } from '../../../domain/campaign-reach';
import { BASE_LOCALE, LOCALES, LOCALE_ENGLISH_NAMES, chooseMessageLocale, type Locale } from '../../../domain/locale';
import { schoolAttendanceSummary } from '../attendance';
import { writeAudit } from '../../platform/audit';
import { takeLimit } from '../../platform/limits';
import { CAMPAIGN_BODY_MAX, CAMPAIGN_TITLE_MAX, campaignProblemFromCode, type CampaignProblem } from '../../../domain/campaign-problems';
import { campaignProblemText } from '../../../i18n-campaigns';
import type { DatabaseHandle } from '../../platform/db/engine';
import { campaigns, guardians, outboundMessages, pupilGuardians, pushSubscriptions, telegramAccounts } from '../../platform/db/schema';
import { publicOrigin } from '../accounts';
import { enqueueMessages, type EnqueueMessage } from '../../platform/outbox';
import { childFirstName } from '../../../domain/pupils';
import { config, type Config } from '../../platform/config';

export const CAMPAIGN_CHANNELS = ['push', 'sms', 'telegram'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
/** What one SMS segment costs us, for the estimate shown to staff (SMS_PENCE_PER_SEGMENT). */
export const smsPencePerSegment = (c: Pick<Config, 'smsPencePerSegment'> = config()) => c.smsPencePerSegment;

// PostgreSQL text and jsonb cannot hold NUL: typed or pasted ones are dropped.
const withoutNul = z.string().transform((t) => t.replaceAll('\u0000', ''));

export const audienceSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('school') }),
	z.object({ kind: z.literal('year'), yearGroup: z.coerce.number().int().min(-1).max(13) }),
	z.object({ kind: z.literal('class'), className: withoutNul.pipe(z.string().trim().min(1).max(40)) }),
	z.object({ kind: z.literal('band'), band: z.enum(BANDS as unknown as [Band, ...Band[]]) })
]);
export type Audience = z.infer<typeof audienceSchema>;

// Each issue's message is a problem code (see campaignProblemFromCode), never a sentence.
const titleSchema = withoutNul.pipe(z.string().trim().min(2, 'title_missing').max(CAMPAIGN_TITLE_MAX, 'title_too_long'));
const bodySchema = withoutNul.pipe(
	z
		.string()
		.trim()
		.min(5, 'body_missing')
		.max(CAMPAIGN_BODY_MAX, 'body_too_long')
		.refine((b) => unknownMergeFields(b).length === 0, 'unknown_merge_fields')
);

/** A version in another language: both parts, or neither (left empty, those families get the English). */
const translationSchema = z.object({ title: withoutNul.pipe(z.string().trim().max(CAMPAIGN_TITLE_MAX, 'title_too_long')).default(''), body: withoutNul.pipe(z.string().trim().max(CAMPAIGN_BODY_MAX, 'body_too_long')).default('') });

export const campaignSchema = z
	.object({
		title: titleSchema,
		body: bodySchema,
		translations: z.partialRecord(z.enum(CAMPAIGN_TRANSLATION_LOCALES as [CampaignTranslationLocale, ...CampaignTranslationLocale[]]), translationSchema).default({}),
		audience: audienceSchema,
		channels: z.array(z.enum(CAMPAIGN_CHANNELS)).min(1, 'channels_missing'),
		excludedGuardianIds: z.array(z.string().uuid()).max(500).default([]),
		sendAt: z.date().optional()
	})
	.superRefine((v, ctx) => {
		for (const [locale, t] of Object.entries(v.translations)) {
			if (!t || (!t.title && !t.body)) continue;
			const title = titleSchema.safeParse(t.title);
			const body = bodySchema.safeParse(t.body);
			// The language travels in the path; the problem's words name it (campaignErrors).
			if (!title.success) ctx.addIssue({ code: 'custom', path: [`title-${locale}`], message: title.error.issues[0]!.message });
			if (!body.success) ctx.addIssue({ code: 'custom', path: [`body-${locale}`], message: body.error.issues[0]!.message });
		}
	})
	.transform((v) => ({
		...v,
		// Empty versions are dropped: those families get the English message.
		translations: Object.fromEntries(Object.entries(v.translations).filter(([, t]) => t && t.title && t.body)) as CampaignTranslations
	}));

/** Language names as staff (in English) read them. */
export const LANGUAGE_LABELS = LOCALE_ENGLISH_NAMES;

export type CampaignInput = z.input<typeof campaignSchema>;

/** A problem on one of the composer's fields; `message` is its English words, as staff read them. */
export interface CampaignFieldError {
	field: string;
	problem: CampaignProblem;
	message: string;
}

export const campaignError = (field: string, problem: CampaignProblem): CampaignFieldError => ({ field, problem, message: campaignProblemText(problem) });

/** The schema's issues (their messages are codes) as field errors; `title-ar` names the Arabic version. */
function campaignErrors(issues: readonly z.core.$ZodIssue[]): CampaignFieldError[] {
	return issues.map((i) => {
		const field = String(i.path[0] ?? 'body');
		const language = /^(?:title|body)-(\w+)$/.exec(field)?.[1] as Locale | undefined;
		const problem = field === 'audience' ? ({ code: 'audience_invalid' } as const) : campaignProblemFromCode(i.message, language);
		return campaignError(field, problem);
	});
}

export interface Recipient {
	guardianId: string;
	pupilId: string;
	/** The language the parent gets messages in (their preferred language, from the school's data or their choice). */
	locale: Locale;
	figures: MergeFigures;
}

/** Every (parent, child) pair in the audience, with the child's figures and the parent's language. */
export async function campaignAudience(handle: DatabaseHandle, schoolId: string, audience: Audience, excluded: readonly string[] = []): Promise<Recipient[]> {
	const summary = await schoolAttendanceSummary(handle, schoolId);
	const pupils = summary.filter((p) =>
		audience.kind === 'school'
			? true
			: audience.kind === 'year'
				? p.yearGroup === audience.yearGroup
				: audience.kind === 'class'
					? p.className === audience.className
					: p.band === audience.band
	);
	if (pupils.length === 0) return [];
	const links = await handle.db
		.select({ pupilId: pupilGuardians.pupilId, guardianId: pupilGuardians.guardianId, preferredLanguage: guardians.preferredLanguage })
		.from(pupilGuardians)
		.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
		.where(and(inArray(pupilGuardians.pupilId, pupils.map((p) => p.pupilId)), eq(pupilGuardians.parentalResponsibility, true)));
	const skip = new Set(excluded);
	const byPupil = new Map(pupils.map((p) => [p.pupilId, p]));
	return links
		.filter((l) => !skip.has(l.guardianId))
		.map((l) => {
			const p = byPupil.get(l.pupilId)!;
			return {
				guardianId: l.guardianId,
				pupilId: l.pupilId,
				locale: chooseMessageLocale({ guardianPreference: l.preferredLanguage }),
				figures: { firstName: childFirstName(p), percent: p.percent, daysMissed: daysFromSessions(p.possible - p.attended) }
			};
		});
}

/** One family's message in their language. */
export function messageFor(campaign: { title: string; body: string; translations?: CampaignTranslations | null }, r: Pick<Recipient, 'locale' | 'figures'>) {
	const version = campaignVersionFor(campaign, r.locale);
	return { locale: version.locale, title: version.title, text: renderMessage(version.body, mergeValuesFor(r.figures, version.locale)) };
}

/** True when `locale`'s version is a template's text but the English message is not that template's. */
function templateVersionMismatch(campaign: { body: string; translations: CampaignTranslations }, locale: Exclude<Locale, 'en'>): boolean {
	const body = campaign.translations[locale]?.body;
	const template = CAMPAIGN_TEMPLATES.find((t) => t.translations[locale].body === body);
	return Boolean(template && template.body !== campaign.body);
}

const SAMPLE_FIGURES: MergeFigures = { firstName: 'Sam', percent: 97, daysMissed: 3 };

/**
 * What staff see before sending: audience size, and for each language the families read, how
 * many families, the version they get and an example per channel; the SMS estimate counts each
 * family's own text (Arabic and Bengali texts use more segments).
 */
export async function previewCampaign(handle: DatabaseHandle, schoolId: string, input: CampaignInput) {
	const parsed = campaignSchema.safeParse(input);
	if (!parsed.success) return { ok: false as const, errors: campaignErrors(parsed.error.issues) };
	const v = parsed.data;
	const recipients = await campaignAudience(handle, schoolId, v.audience, v.excludedGuardianIds);
	const families = new Set(recipients.map((r) => r.guardianId)).size;
	const messages = recipients.map((r) => messageFor(v, r));
	// Families whose child's figures the words contradict, counted once each.
	const conflicts = { praise_below_excellent: new Set<string>(), concern_without_absence: new Set<string>() };
	recipients.forEach((r, i) => {
		const conflict = toneConflict(`${messages[i]!.title} ${messages[i]!.text}`, r.figures);
		if (conflict) conflicts[conflict].add(r.guardianId);
	});
	const languages = LOCALES.map((locale) => {
		const mine = recipients.filter((r) => r.locale === locale);
		const version = campaignVersionFor(v, locale);
		const example = messageFor(v, { locale, figures: mine[0]?.figures ?? SAMPLE_FIGURES });
		return {
			locale,
			label: LANGUAGE_LABELS[locale],
			families: new Set(mine.map((r) => r.guardianId)).size,
			/** False when the families of this language get the English version. */
			translated: locale === BASE_LOCALE || version.locale === locale,
			/** A template's draft kept while the English was rewritten: the two no longer say the same. */
			mismatched: locale !== BASE_LOCALE && version.locale === locale && templateVersionMismatch(v, locale as Exclude<Locale, 'en'>),
			dir: version.locale === 'ar' ? ('rtl' as const) : ('ltr' as const),
			lang: version.locale,
			title: example.title,
			text: example.text,
			smsSegments: smsSegments(example.text).segments
		};
	}).filter((l) => l.locale === BASE_LOCALE || l.families > 0 || l.translated);
	return {
		ok: true as const,
		families,
		children: new Set(recipients.map((r) => r.pupilId)).size,
		example: messages[0]?.text ?? messageFor(v, { locale: BASE_LOCALE, figures: SAMPLE_FIGURES }).text,
		languages,
		channels: v.channels,
		sms: v.channels.includes('sms') ? smsCostEstimate(messages.map((m) => m.text), smsPencePerSegment()) : null,
		toneWarnings: { praiseBelowExcellent: conflicts.praise_below_excellent.size, concernWithoutAbsence: conflicts.concern_without_absence.size }
	};
}

export async function createCampaign(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string; input: CampaignInput; now?: Date }) {
	const parsed = campaignSchema.safeParse(opts.input);
	if (!parsed.success) return { ok: false as const, errors: campaignErrors(parsed.error.issues) };
	const v = parsed.data;
	const now = opts.now ?? new Date();
	// The form checks this too (parseSendLater); here so no caller can schedule into the past or years ahead.
	if (v.sendAt && (v.sendAt.getTime() <= now.getTime() || v.sendAt.getTime() > now.getTime() + SEND_LATER_MAX_DAYS * 86_400_000)) {
		return { ok: false as const, errors: [campaignError('sendDate', { code: 'send_time_out_of_range', maxDays: SEND_LATER_MAX_DAYS })] };
	}
	const limit = await takeLimit(handle.db, 'campaignsPerSchool', opts.schoolId, now);
	if (!limit.allowed) {
		return {
			ok: false as const,
			errors: [campaignError('title', { code: 'too_many_campaigns', retryAfterSeconds: limit.retryAfterSeconds })],
			retryAfterSeconds: limit.retryAfterSeconds
		};
	}
	const [row] = await handle.db
		.insert(campaigns)
		.values({ schoolId: opts.schoolId, title: v.title, body: v.body, translations: v.translations, audience: v.audience, channels: v.channels, excludedGuardianIds: v.excludedGuardianIds, createdBy: opts.staffUserId, sendAt: v.sendAt ?? now, createdAt: now })
		.returning({ id: campaigns.id });
	await writeAudit(handle.db, { actorType: 'staff', actorId: opts.staffUserId, action: 'campaign.created', schoolId: opts.schoolId, subjectType: 'campaign', subjectId: row!.id, details: { audience: v.audience.kind, channels: v.channels, ...(v.sendAt ? { sendAt: v.sendAt.toISOString() } : {}) } });
	return { ok: true as const, id: row!.id };
}

/**
 * Cancels a scheduled campaign at the school, if its messages have not been queued yet. One
 * conditional update, so it cannot race the scheduler: either the cancel or the queueing wins.
 */
export async function cancelCampaign(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string; campaignId: string; now?: Date }): Promise<boolean> {
	if (!/^[0-9a-f-]{36}$/i.test(opts.campaignId)) return false;
	const rows = await handle.db
		.update(campaigns)
		.set({ cancelledAt: opts.now ?? new Date(), cancelledBy: opts.staffUserId })
		.where(and(eq(campaigns.id, opts.campaignId), eq(campaigns.schoolId, opts.schoolId), isNull(campaigns.queuedAt), isNull(campaigns.cancelledAt)))
		.returning({ id: campaigns.id });
	if (rows.length === 0) return false;
	await writeAudit(handle.db, { actorType: 'staff', actorId: opts.staffUserId, action: 'campaign.cancelled', schoolId: opts.schoolId, subjectType: 'campaign', subjectId: opts.campaignId, details: {} });
	return true;
}

/**
 * Queues one due campaign's messages, once: the campaign row is claimed (queued_at set) in the
 * same transaction as its messages, so a second worker, or a crash and retry, queues nothing twice.
 */
export async function queueCampaign(handle: DatabaseHandle, campaignId: string, now: Date = new Date()): Promise<number> {
	const [campaign] = await handle.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
	if (!campaign || campaign.queuedAt || campaign.cancelledAt || campaign.sendAt > now) return 0;
	const audience = audienceSchema.parse(campaign.audience);
	const recipients = await campaignAudience(handle, campaign.schoolId, audience, campaign.excludedGuardianIds);
	const guardianIds = [...new Set(recipients.map((r) => r.guardianId))];
	const [people, subs, chats] = guardianIds.length
		? await Promise.all([
				handle.db.select({ id: guardians.id, phone: guardians.phone }).from(guardians).where(inArray(guardians.id, guardianIds)),
				handle.db.select({ id: pushSubscriptions.id, guardianId: pushSubscriptions.guardianId }).from(pushSubscriptions).where(inArray(pushSubscriptions.guardianId, guardianIds)),
				handle.db.select({ guardianId: telegramAccounts.guardianId, chatId: telegramAccounts.chatId }).from(telegramAccounts).where(inArray(telegramAccounts.guardianId, guardianIds))
			])
		: [[], [], []];
	const phones = new Map(people.map((p) => [p.id, p.phone]));
	const origin = publicOrigin();
	let queued = 0;
	await handle.db.transaction(async (tx) => {
		const claimed = await tx.update(campaigns).set({ queuedAt: now }).where(and(eq(campaigns.id, campaignId), isNull(campaigns.queuedAt), isNull(campaigns.cancelledAt))).returning({ id: campaigns.id });
		if (claimed.length === 0) return;
		// By parent (Map.groupBy is Node 21+): a filter per recipient is quadratic for a big school.
		const byGuardian = <T extends { guardianId: string }>(rows: T[]) => {
			const m = new Map<string, T[]>();
			for (const row of rows) m.set(row.guardianId, [...(m.get(row.guardianId) ?? []), row]);
			return m;
		};
		const subsOf = byGuardian(subs);
		const chatsOf = byGuardian(chats);
		const messages: EnqueueMessage[] = [];
		// Per family: what is queued to them (none: no address on any chosen channel).
		const perFamily = new Map<string, FamilyQueued>(guardianIds.map((id) => [id, { queued: {} }]));
		for (const r of recipients) {
			const { title, text } = messageFor({ title: campaign.title, body: campaign.body, translations: campaign.translations as CampaignTranslations }, r);
			const targets: { channel: CampaignChannel; recipient: string; body: string }[] = [];
			if (campaign.channels.includes('push')) {
				for (const s of subsOf.get(r.guardianId) ?? []) {
					targets.push({ channel: 'push', recipient: s.id, body: JSON.stringify({ title, body: text, url: `${origin}/children/${r.pupilId}` }) });
				}
			}
			const phone = phones.get(r.guardianId);
			if (campaign.channels.includes('sms') && phone) targets.push({ channel: 'sms', recipient: phone, body: text });
			if (campaign.channels.includes('telegram')) {
				for (const c of chatsOf.get(r.guardianId) ?? []) targets.push({ channel: 'telegram', recipient: String(c.chatId), body: text });
			}
			for (const t of targets) {
				const family = perFamily.get(r.guardianId)!;
				family.queued[t.channel] = (family.queued[t.channel] ?? 0) + 1;
				messages.push({
					channel: t.channel,
					recipient: t.recipient,
					guardianId: r.guardianId,
					schoolId: campaign.schoolId,
					purpose: 'campaign',
					body: t.body,
					campaignId: campaign.id,
					idempotencyKey: `campaign:${campaign.id}:${r.guardianId}:${r.pupilId}:${t.channel}:${t.recipient}`
				});
			}
		}
		// In the same transaction as the claim: all of the campaign's messages, or none, and what they reached.
		queued = await enqueueMessages(tx, messages);
		await tx.update(campaigns).set({ reach: summariseReach([...perFamily.values()]) }).where(eq(campaigns.id, campaignId));
	});
	return queued;
}

/** Due campaigns, for the scheduler. */
export async function queueDueCampaigns(handle: DatabaseHandle, now: Date = new Date()): Promise<number> {
	const due = await handle.db.select({ id: campaigns.id }).from(campaigns).where(and(isNull(campaigns.queuedAt), isNull(campaigns.cancelledAt), lte(campaigns.sendAt, now)));
	let n = 0;
	for (const c of due) n += await queueCampaign(handle, c.id, now);
	return n;
}

export async function schoolCampaigns(handle: DatabaseHandle, schoolId: string) {
	return handle.db.select().from(campaigns).where(eq(campaigns.schoolId, schoolId)).orderBy(desc(campaigns.createdAt)).limit(50);
}

/**
 * Delivery results per channel: queued, sent, delivered, failed, opted out (SMS STOP), gone
 * (push), and unknown (a worker died mid-send; not resent, so it may or may not have arrived).
 * Every channel the campaign was to use is listed, with what was actually sent on it (none where
 * no family had an address on it); and the families in the audience against the families sent
 * to, with the reason for each difference.
 */
export async function campaignResults(handle: DatabaseHandle, schoolId: string, campaignId: string) {
	const [campaign] = await handle.db.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.schoolId, schoolId)));
	if (!campaign) return null;
	const rows = await handle.db
		.select({
			channel: outboundMessages.channel,
			guardianId: outboundMessages.guardianId,
			outcome: sql<string>`case when ${outboundMessages.providerStatus} in ('opted_out', 'gone', 'unknown') then ${outboundMessages.providerStatus}
				when ${outboundMessages.status} in ('pending', 'sending') then 'queued'
				when ${outboundMessages.status} = 'dead' then 'failed' else ${outboundMessages.status}::text end`,
			n: sql<number>`count(*)::int`
		})
		.from(outboundMessages)
		.where(eq(outboundMessages.campaignId, campaignId))
		.groupBy(sql`1`, sql`2`, sql`3`)
		.orderBy(asc(outboundMessages.channel));
	const totals = new Map<string, { channel: string; outcome: string; n: number }>();
	const outcomesByFamily = new Map<string, string[]>();
	for (const r of rows) {
		const key = `${r.channel} ${r.outcome}`;
		const t = totals.get(key) ?? { channel: r.channel, outcome: r.outcome, n: 0 };
		t.n += r.n;
		totals.set(key, t);
		if (r.guardianId) outcomesByFamily.set(r.guardianId, [...(outcomesByFamily.get(r.guardianId) ?? []), r.outcome]);
	}
	const results = [...totals.values()];
	const chosen = CAMPAIGN_CHANNELS.filter((c) => campaign.channels.includes(c));
	const reach = (campaign.reach as CampaignReach | null) ?? null;
	const optedOut = familiesOptedOut(outcomesByFamily);
	return {
		campaign,
		results,
		/** Each chosen channel, in order, with its messages by outcome (none: nobody could be sent it that way). */
		channels: chosen.map((channel) => ({
			channel,
			families: reach?.familiesByChannel[channel] ?? null,
			results: results.filter((r) => r.channel === channel)
		})),
		/** Null for a campaign sent before reach was recorded, or not sent yet. */
		reach: reach && {
			families: reach.families,
			sentTo: reach.reached - optedOut,
			differences: reachDifferences(reach, optedOut)
		}
	};
}
