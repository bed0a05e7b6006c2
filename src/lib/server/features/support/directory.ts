/**
 * The support directory (docs/domain-rules.md §8): a local authority's services as data, loaded from
 * JSON (the bundled Portsmouth directory on first start; an authority's own by its admin),
 * exported as JSON, searched on the support page, and matched to what parents tell us.
 */
import { stripNulDeep } from '../../platform/request-boundary';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import {
	ILLNESS_GUIDE,
	SUPPORT_AUDIENCES,
	SUPPORT_CATEGORIES,
	SUPPORT_MAX_AGE,
	SUPPORT_CATEGORY_LABELS,
	categoriesFor,
	contactKind,
	fitsWhatWasSaid,
	illnessGuidanceFor,
	reachableInOneTap,
	offeredToFamily,
	type ChildAgeFacts,
	type IllnessGuide,
	type SupportAudience,
	type SupportCategory
} from '../../../domain/signposting';
import { localDateOf, DEFAULT_TIME_ZONE, type IsoDate } from '../../../domain/calendar';
import type { AbsenceReason } from '../../../domain/absence';
import { isUuid } from '../../../domain/ids';
import { writeAudit } from '../../platform/audit';
import type { DatabaseHandle } from '../../platform/db/engine';
import { pupilGuardians, pupils, schools, supportDirectories, supportServices } from '../../platform/db/schema';
// The import attribute lets Node load this module directly too (the browser tests import the demo seed).
import portsmouth from './portsmouth.json' with { type: 'json' };

export const DEFAULT_DIRECTORY = 'portsmouth';

const httpsUrl = z
	.string()
	.trim()
	.max(500)
	.url('not_a_web_address')
	.refine((u) => /^https?:\/\//.test(u), 'not_http');

const age = z
	.number({ error: 'age_out_of_range' })
	.int('age_out_of_range')
	.min(0, 'age_out_of_range')
	.max(SUPPORT_MAX_AGE, 'age_out_of_range');

const serviceSchema = z
	.object({
		category: z.enum(SUPPORT_CATEGORIES, { error: 'unknown_category' }),
		name: z.string().trim().min(2, 'required').max(200),
		overview: z.string().trim().min(5, 'required').max(1000),
		link: httpsUrl.nullish(),
		contact: z.string().trim().max(200).nullish(),
		source: z.string().trim().min(2, 'required').max(200),
		ref: z.number().int().positive().nullish(),
		topics: z.array(z.string().trim().min(2).max(60)).max(40).nullish(),
		// A file from before audiences and ages: families, any age (what a silent source means).
		audience: z.enum(SUPPORT_AUDIENCES, { error: 'unknown_audience' }).default('families'),
		minAge: age.nullish(),
		maxAge: age.nullish()
	})
	.refine((s) => s.link || s.contact || s.source, { message: 'needs_link_contact_or_source' })
	.refine((s) => s.minAge == null || s.maxAge == null || s.minAge <= s.maxAge, { message: 'ages_reversed', path: ['maxAge'] });

export const directoryFileSchema = z.object({
	directory: z.object({
		slug: z
			.string()
			.trim()
			.regex(/^[a-z0-9-]{2,40}$/, 'bad_slug'),
		name: z.string().trim().min(2).max(200),
		source: z.string().trim().min(2).max(300)
	}),
	services: z.array(serviceSchema).min(1, 'no_services').max(500)
});

export type DirectoryFile = z.output<typeof directoryFileSchema>;
export type DirectoryService = DirectoryFile['services'][number];

/** The problems a directory file's schema carries as its issue messages. */
const DIRECTORY_CODES = ['not_a_web_address', 'not_http', 'required', 'needs_link_contact_or_source', 'bad_slug', 'no_services', 'ages_reversed'] as const;

/**
 * What is wrong with a directory file, at `where` ("services[3].link"; '' = the file as a
 * whole). The words ("services[3].link must be a full web address") are src/lib/i18n-staff-problems.ts's.
 */
export type DirectoryProblem = { where: string } & (
	| { code: (typeof DIRECTORY_CODES)[number] }
	| { code: 'unknown_category'; allowed: readonly string[] }
	| { code: 'unknown_audience'; allowed: readonly string[] }
	| { code: 'age_out_of_range'; max: number }
	/** What no directory file of ours has (a wrong type, a field too long): zod's own words. */
	| { code: 'not_accepted'; detail: string }
);

export type ImportDirectoryResult = { ok: true; slug: string; services: number } | { ok: false; errors: DirectoryProblem[] };

function describeIssues(error: z.ZodError): DirectoryProblem[] {
	return error.issues.slice(0, 50).map((i) => {
		const where = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('');
		if (i.message === 'unknown_category') return { where, code: 'unknown_category', allowed: SUPPORT_CATEGORIES };
		if (i.message === 'unknown_audience') return { where, code: 'unknown_audience', allowed: SUPPORT_AUDIENCES };
		if (i.message === 'age_out_of_range') return { where, code: 'age_out_of_range', max: SUPPORT_MAX_AGE };
		if ((DIRECTORY_CODES as readonly string[]).includes(i.message)) return { where, code: i.message as (typeof DIRECTORY_CODES)[number] };
		return { where, code: 'not_accepted', detail: i.message };
	});
}

/**
 * Replaces one directory's services with the file's, all or nothing (one transaction). Anything
 * invalid rejects the whole file with every problem listed.
 */
export async function importDirectory(handle: DatabaseHandle, file: unknown, actor: { type: 'staff' | 'system'; id?: string }): Promise<ImportDirectoryResult> {
	// An uploaded file's bytes pass the request boundary untouched: its text loses NULs here.
	const parsed = directoryFileSchema.safeParse(stripNulDeep(file));
	if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error) };
	const { directory, services } = parsed.data;
	await handle.db.transaction(async (tx) => {
		await tx
			.insert(supportDirectories)
			.values({ slug: directory.slug, name: directory.name, source: directory.source, updatedAt: new Date() })
			.onConflictDoUpdate({
				target: supportDirectories.slug,
				set: { name: directory.name, source: directory.source, updatedAt: new Date() }
			});
		await tx.delete(supportServices).where(eq(supportServices.directorySlug, directory.slug));
		await tx.insert(supportServices).values(
			services.map((s, position) => ({
				directorySlug: directory.slug,
				category: s.category,
				name: s.name,
				overview: s.overview,
				link: s.link ?? null,
				contact: s.contact ?? null,
				source: s.source,
				ref: s.ref ?? null,
				topics: s.topics && s.topics.length > 0 ? s.topics : null,
				audience: s.audience,
				minAge: s.minAge ?? null,
				maxAge: s.maxAge ?? null,
				position
			}))
		);
		await writeAudit(tx, {
			actorType: actor.type,
			actorId: actor.id ?? null,
			action: 'support_directory.imported',
			subjectType: 'support_directory',
			subjectId: directory.slug,
			details: { services: services.length }
		});
	});
	return { ok: true, slug: directory.slug, services: services.length };
}

/** Loads the bundled Portsmouth directory when the deployment has none yet (every start; cheap). */
export async function ensureDefaultDirectory(handle: DatabaseHandle): Promise<boolean> {
	const [existing] = await handle.db.select({ slug: supportDirectories.slug }).from(supportDirectories).limit(1);
	if (existing) return false;
	const result = await importDirectory(handle, portsmouth, { type: 'system' });
	if (!result.ok) throw new Error(`The bundled directory is invalid: ${JSON.stringify(result.errors)}`);
	return true;
}

/** The directory as the same JSON shape the import takes. */
export async function exportDirectory(handle: DatabaseHandle, slug: string): Promise<DirectoryFile | null> {
	const [directory] = await handle.db.select().from(supportDirectories).where(eq(supportDirectories.slug, slug));
	if (!directory) return null;
	const rows = await handle.db
		.select()
		.from(supportServices)
		.where(eq(supportServices.directorySlug, slug))
		.orderBy(asc(supportServices.position));
	return {
		directory: { slug: directory.slug, name: directory.name, source: directory.source },
		services: rows.map((r) => ({
			category: r.category as SupportCategory,
			name: r.name,
			overview: r.overview,
			link: r.link,
			contact: r.contact,
			source: r.source,
			ref: r.ref,
			// Only where there are any: a file without topics exports as it was imported.
			...(r.topics ? { topics: r.topics } : {}),
			audience: r.audience as SupportAudience,
			minAge: r.minAge,
			maxAge: r.maxAge
		}))
	};
}

export async function listDirectories(handle: DatabaseHandle): Promise<{ slug: string; name: string; services: number }[]> {
	const dirs = await handle.db.select().from(supportDirectories).orderBy(asc(supportDirectories.slug));
	const out = [];
	for (const d of dirs) {
		const n = await handle.query<{ n: number }>(`select count(*)::int as n from support_services where directory_slug = $1`, [d.slug]);
		out.push({ slug: d.slug, name: d.name, services: n[0]!.n });
	}
	return out;
}

export interface SupportService {
	id: string;
	category: SupportCategory;
	name: string;
	overview: string;
	link: string | null;
	contact: string | null;
	source: string;
	audience: SupportAudience;
	minAge: number | null;
	maxAge: number | null;
	/** The needs a specialist service is suggested for; null = anything in its category. */
	topics: string[] | null;
	/** The contact as one tap: mailto: for an email address, tel: in E.164 for a phone number. */
	contactHref: string | null;
}

/** A phone number as a tel: link in E.164 (UK numbers as written locally), or null when it is not one. */
export function telHref(phone: string | null | undefined): string | null {
	if (!phone || contactKind(phone) !== 'phone') return null;
	const parsed = parsePhoneNumberFromString(phone.trim(), 'GB');
	return parsed && parsed.isPossible() ? `tel:${parsed.number}` : null;
}

/** What a directory contact becomes as a link: mailto: or tel:, or null (words only). */
export function contactHref(contact: string | null | undefined): string | null {
	const kind = contactKind(contact);
	if (kind === 'email') return `mailto:${contact!.trim()}`;
	if (kind === 'phone') return telHref(contact);
	return null;
}

/**
 * Whom a list of services is for. `family`: what a family may be offered (docs/domain-rules.md
 * §8): never professionals-only services, and age-limited ones only for the ages of `children`
 * (undefined = a visitor we know nothing about). Without it, every service (the admin's view).
 */
export interface ServicesAudience {
	family: true;
	children?: readonly ChildAgeFacts[];
	/** The day the children's ages are counted on; today in England by default. */
	on?: IsoDate;
}

function fold(text: string): string {
	return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Services of a directory, optionally in some categories, optionally matching a search: every
 * word of the search must appear in the name, overview, organisation or category heading; and a
 * search that names a need ("anxious", "bus") also finds that need's services.
 */
export async function findServices(
	handle: DatabaseHandle,
	opts: { directory?: string; categories?: readonly SupportCategory[]; search?: string; for?: ServicesAudience }
): Promise<SupportService[]> {
	const slug = opts.directory ?? DEFAULT_DIRECTORY;
	const where = [eq(supportServices.directorySlug, slug)];
	if (opts.categories) {
		if (opts.categories.length === 0) return [];
		where.push(inArray(supportServices.category, [...opts.categories]));
	}
	const rows = await handle.db
		.select({
			id: supportServices.id,
			category: supportServices.category,
			name: supportServices.name,
			overview: supportServices.overview,
			link: supportServices.link,
			contact: supportServices.contact,
			source: supportServices.source,
			audience: supportServices.audience,
			minAge: supportServices.minAge,
			maxAge: supportServices.maxAge,
			topics: supportServices.topics,
			position: supportServices.position
		})
		.from(supportServices)
		.where(and(...where))
		.orderBy(asc(supportServices.position));
	const reach = opts.for;
	const on = reach?.on ?? localDateOf(new Date(), DEFAULT_TIME_ZONE);
	const services = rows
		.map(({ position: _p, ...r }) => ({
			...r,
			category: r.category as SupportCategory,
			audience: r.audience as SupportAudience,
			contactHref: contactHref(r.contact)
		}))
		// A family is offered only what they can reach from the page in one tap (docs/domain-rules.md §8).
		.filter((s) => !reach || (offeredToFamily(s, reach.children, on) && reachableInOneTap({ link: s.link, contact: s.contactHref ? s.contact : null })));
	const search = opts.search?.trim();
	if (!search) return services;
	const words = fold(search).split(/\s+/).filter((w) => w.length > 1);
	const needs = categoriesFor({ text: search });
	return services.filter((s) => {
		if (fitsWhatWasSaid(s, { categories: needs, text: search })) return true;
		const hay = fold(`${s.name} ${s.overview} ${s.source} ${SUPPORT_CATEGORY_LABELS[s.category]}`);
		return words.length > 0 && words.every((w) => hay.includes(w));
	});
}

export interface SchoolContact {
	name: string;
	phone: string | null;
	/** The phone as a tel: link (E.164), when it is a number. */
	phoneHref: string | null;
	email: string | null;
}

export interface Signposts {
	/** The school comes first: it knows the child and can help directly. */
	schools: SchoolContact[];
	categories: SupportCategory[];
	services: SupportService[];
	illness: IllnessGuide[];
}

/**
 * Support for what a parent told us (a reason and/or their words), for their children's
 * schools' directory. Illness reports also get the illness guide entries their words point to.
 */
export async function signpostsFor(
	handle: DatabaseHandle,
	input: {
		reason?: AbsenceReason | null;
		text?: string | null;
		schoolIds?: readonly string[];
		/** The family: services are matched to the ages of their children at those schools. */
		guardianId?: string;
		on?: IsoDate;
	}
): Promise<Signposts> {
	const schoolRows =
		input.schoolIds && input.schoolIds.length > 0
			? await handle.db
					.select({ name: schools.name, phone: schools.phone, email: schools.email, directory: schools.supportDirectory })
					.from(schools)
					.where(inArray(schools.id, [...input.schoolIds]))
					.orderBy(asc(schools.name))
			: [];
	const directory = schoolRows[0]?.directory ?? DEFAULT_DIRECTORY;
	const categories = categoriesFor({ reason: input.reason, text: input.text });
	const children = input.guardianId ? await childrenAges(handle, input.guardianId, input.schoolIds) : undefined;
	const offered = categories.length > 0 || input.text ? await findServices(handle, { directory, for: { family: true, children, on: input.on } }) : [];
	// A service of a need they have, but a specialist one only when their words name what it is for.
	const services = offered.filter((s) => fitsWhatWasSaid(s, { categories, text: input.text }));
	const unwell = input.reason === 'illness' || categories.includes('illness');
	return {
		schools: schoolRows.map(({ directory: _d, ...s }) => ({ ...s, phoneHref: telHref(s.phone) })),
		categories,
		services,
		illness: unwell ? illnessGuidanceFor(input.text ?? '') : []
	};
}

/**
 * What tells the ages of a guardian's children (at `schoolIds` when given): a support list for
 * the family only offers what fits one of them.
 */
export async function childrenAges(handle: DatabaseHandle, guardianId: string, schoolIds?: readonly string[]): Promise<ChildAgeFacts[]> {
	if (!isUuid(guardianId)) return [];
	const where = [eq(pupilGuardians.guardianId, guardianId)];
	if (schoolIds && schoolIds.length > 0) where.push(inArray(pupils.schoolId, [...schoolIds]));
	return handle.db
		.select({ dateOfBirth: pupils.dateOfBirth, yearGroup: pupils.yearGroup })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(...where));
}

/** All illness guide entries (the support page's table). */
export function illnessGuide(): readonly IllnessGuide[] {
	return ILLNESS_GUIDE;
}

/**
 * A short text for SMS and Telegram: the school first, then at most `max` services with their
 * link or contact, then the support page. Kept short because SMS segments cost money.
 */
export function signpostsAsText(signposts: Signposts, opts: { origin: string; max?: number }): string {
	const lines: string[] = [];
	for (const s of signposts.schools) {
		const how = [s.phone, s.email].filter(Boolean).join(' or ');
		lines.push(how ? `${s.name} can help: ${how}.` : `${s.name} can help.`);
	}
	for (const g of signposts.illness.slice(0, 1)) lines.push(`${g.name}: ${g.advice}`);
	for (const s of signposts.services.filter((x) => x.link || x.contactHref).slice(0, opts.max ?? 2)) {
		lines.push(`${s.name}: ${s.link ?? s.contact}`);
	}
	lines.push(`More help: ${opts.origin}/support`);
	return lines.join('\n');
}
