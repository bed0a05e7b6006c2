/**
 * Staff invitations. The LA admin invites a school's first member of staff; the headteacher (or
 * school administrator) invites the rest with their roles. The email carries a one-time link;
 * only a SHA-256 of its token is kept. Opening the link chooses an authenticator key (shown as a
 * QR code); accepting sets a password and proves the authenticator with its first code, and
 * only then does the account exist — so nobody ever holds a half-enrolled account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import QRCode from 'qrcode';
import { createTOTPKeyURI } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { schools, staffInvitations, staffUsers, type StaffUser } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { enqueueMessage } from '../../platform/outbox';
import { decryptSecret, encryptSecret } from '../../platform/secrets';
import {
	hashPassword,
	matchingTotpStep,
	MIN_PASSWORD_LENGTH,
	normaliseEmail,
	normaliseTotpCode,
	TOTP_DIGITS,
	TOTP_ISSUER,
	TOTP_PERIOD_SECONDS
} from '../accounts';
import { STAFF_ROLE_LABELS, SCHOOL_ROLES, type StaffRole } from '../accounts';
import { consumeRateLimit } from '../../platform/rate-limit';
import { problemFromIssue, type FieldError } from './problems';

/** An invitation is good for a week: long enough for a busy head, short enough to go stale safely. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Codes (with a good password) an invitee may try in 15 minutes. */
export const ACCEPT_ATTEMPTS = 10;

export interface InvitationEmailContext {
	/** The public origin the link points at, e.g. https://everyday.example.org. */
	origin: string;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const inviteSchema = z.object({
	displayName: z.string().trim().min(2, 'invitee_name_missing').max(120, 'invitee_name_too_long'),
	email: z.email('invitee_email').max(254),
	role: z.enum(SCHOOL_ROLES as [StaffRole, ...StaffRole[]], { error: 'invitee_role' })
});

/** Who may invite staff to a school: its headteacher or administrator, or the LA. */
export function canInviteStaff(actor: Pick<StaffUser, 'role' | 'schoolId'>, schoolId: string): boolean {
	if (actor.role === 'la_admin') return true;
	return actor.schoolId === schoolId && (actor.role === 'headteacher' || actor.role === 'school_admin');
}

export async function createInvitationInTx(
	tx: Db,
	input: { schoolId: string; schoolName: string; invitedBy: string; displayName: string; email: string; role: string },
	ctx: InvitationEmailContext,
	now: Date = new Date()
): Promise<{ ok: true; invitationId: string; token: string } | { ok: false; errors: FieldError[] }> {
	const parsed = inviteSchema.safeParse(input);
	if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), ...problemFromIssue(i) })) };
	const email = normaliseEmail(parsed.data.email);
	const [existing] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(sql`lower(${staffUsers.email})`, email));
	if (existing) return { ok: false, errors: [{ field: 'email', code: 'email_has_account' }] };
	// A fresh invitation replaces any earlier one still open for the same address at this school.
	await tx
		.update(staffInvitations)
		.set({ revokedAt: now })
		.where(and(eq(staffInvitations.schoolId, input.schoolId), eq(staffInvitations.email, email), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)));
	const token = randomBytes(32).toString('base64url');
	const [row] = await tx
		.insert(staffInvitations)
		.values({
			schoolId: input.schoolId,
			email,
			displayName: parsed.data.displayName,
			role: parsed.data.role,
			tokenHash: hashToken(token),
			invitedBy: input.invitedBy,
			expiresAt: new Date(now.getTime() + INVITATION_TTL_MS)
		})
		.returning({ id: staffInvitations.id });
	const link = `${ctx.origin.replace(/\/$/, '')}/invitation/${token}`;
	await enqueueMessage(tx, {
		channel: 'email',
		recipient: email,
		schoolId: input.schoolId,
		purpose: 'staff_invitation',
		subject: `You are invited to Every Day for ${input.schoolName}`,
		body:
			`Hello ${parsed.data.displayName},\n\n` +
			`You have been invited to join ${input.schoolName} on Every Day as ${STAFF_ROLE_LABELS[parsed.data.role].toLowerCase()}.\n\n` +
			`Open this link to choose your password and set up your authenticator app (it works once, for 7 days):\n${link}\n\n` +
			`If you did not expect this, you can ignore it.`,
		idempotencyKey: `staff-invitation:${row!.id}`
	});
	await writeAudit(tx, {
		actorType: 'staff',
		actorId: input.invitedBy,
		action: 'staff.invited',
		schoolId: input.schoolId,
		subjectType: 'staff_invitation',
		subjectId: row!.id,
		details: { role: parsed.data.role },
		at: now
	});
	return { ok: true, invitationId: row!.id, token };
}

export type InviteResult = { ok: true; invitationId: string } | { ok: false; errors: FieldError[] };

export async function inviteStaff(
	handle: DatabaseHandle,
	actor: Pick<StaffUser, 'id' | 'role' | 'schoolId'>,
	schoolId: string,
	input: { displayName: string; email: string; role: string },
	ctx: InvitationEmailContext,
	now: Date = new Date()
): Promise<InviteResult> {
	if (!canInviteStaff(actor, schoolId)) return { ok: false, errors: [{ field: 'form', code: 'only_head_invites' }] };
	const [school] = await handle.db.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId));
	if (!school) return { ok: false, errors: [{ field: 'form', code: 'no_such_school' }] };
	return handle.db.transaction(async (tx) => {
		const r = await createInvitationInTx(tx, { ...input, schoolId, schoolName: school.name, invitedBy: actor.id }, ctx, now);
		return r.ok ? { ok: true as const, invitationId: r.invitationId } : r;
	});
}

export interface InvitationListing {
	id: string;
	displayName: string;
	email: string;
	role: StaffRole;
	status: 'waiting' | 'accepted' | 'expired' | 'withdrawn';
	createdAt: Date;
}

export async function listInvitations(handle: DatabaseHandle, schoolId: string, now: Date = new Date()): Promise<InvitationListing[]> {
	const rows = await handle.db.select().from(staffInvitations).where(eq(staffInvitations.schoolId, schoolId)).orderBy(desc(staffInvitations.createdAt)).limit(200);
	return rows.map((r) => ({
		id: r.id,
		displayName: r.displayName,
		email: r.email,
		role: r.role,
		createdAt: r.createdAt,
		status: r.acceptedAt ? 'accepted' : r.revokedAt ? 'withdrawn' : r.expiresAt <= now ? 'expired' : 'waiting'
	}));
}

export async function withdrawInvitation(handle: DatabaseHandle, actor: Pick<StaffUser, 'id' | 'role' | 'schoolId'>, schoolId: string, invitationId: string): Promise<boolean> {
	if (!canInviteStaff(actor, schoolId)) return false;
	const rows = await handle.db
		.update(staffInvitations)
		.set({ revokedAt: new Date() })
		.where(and(eq(staffInvitations.id, invitationId), eq(staffInvitations.schoolId, schoolId), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)))
		.returning({ id: staffInvitations.id });
	if (rows.length) await writeAudit(handle.db, { actorType: 'staff', actorId: actor.id, action: 'staff.invitation_withdrawn', schoolId, subjectType: 'staff_invitation', subjectId: invitationId });
	return rows.length > 0;
}

export interface OpenInvitation {
	invitationId: string;
	schoolName: string;
	displayName: string;
	email: string;
	roleLabel: string;
	/** For manual entry in an authenticator app. */
	keyBase32: string;
	uri: string;
	/** A PNG data: URL of the otpauth:// URI, for the authenticator app to scan. */
	qrDataUrl: string;
}

async function liveInvitation(db: Db, token: string, now: Date) {
	if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
	const [row] = await db
		.select({ inv: staffInvitations, schoolName: schools.name })
		.from(staffInvitations)
		.innerJoin(schools, eq(schools.id, staffInvitations.schoolId))
		.where(and(eq(staffInvitations.tokenHash, hashToken(token)), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)));
	return row ?? null;
}

/**
 * The invitation behind a link, with its authenticator key (chosen on first opening and kept,
 * so reloading the page shows the same QR code). Null when the link is unknown, used,
 * withdrawn or expired — all alike, so a link reveals nothing about why.
 */
export async function openInvitation(handle: DatabaseHandle, token: string, now: Date = new Date()): Promise<OpenInvitation | null> {
	let row = await liveInvitation(handle.db, token, now);
	if (!row) return null;
	if (!row.inv.pendingTotpKeyEncrypted) {
		// Conditional, so two tabs opening at once agree on one key.
		await handle.db
			.update(staffInvitations)
			.set({ pendingTotpKeyEncrypted: encryptSecret(crypto.getRandomValues(new Uint8Array(20))) })
			.where(and(eq(staffInvitations.id, row.inv.id), isNull(staffInvitations.pendingTotpKeyEncrypted)));
		row = await liveInvitation(handle.db, token, now);
		if (!row?.inv.pendingTotpKeyEncrypted) return null;
	}
	const key = decryptSecret(row.inv.pendingTotpKeyEncrypted!);
	const uri = createTOTPKeyURI(TOTP_ISSUER, row.inv.email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
	return {
		invitationId: row.inv.id,
		schoolName: row.schoolName,
		displayName: row.inv.displayName,
		email: row.inv.email,
		roleLabel: STAFF_ROLE_LABELS[row.inv.role],
		keyBase32: encodeBase32UpperCaseNoPadding(key),
		uri,
		qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
	};
}

export type AcceptResult = { ok: true; staff: StaffUser } | { ok: false; errors: FieldError[]; gone?: boolean };

/** Sets the password and proves the authenticator; creates the account in one transaction. */
export async function acceptInvitation(
	handle: DatabaseHandle,
	input: { token: string; password: string; confirmPassword: string; code: string; ip?: string | null },
	now: Date = new Date()
): Promise<AcceptResult> {
	const errors: FieldError[] = [];
	if (input.password.length < MIN_PASSWORD_LENGTH) errors.push({ field: 'password', code: 'password_too_short', min: MIN_PASSWORD_LENGTH });
	else if (input.password.length > 1024) errors.push({ field: 'password', code: 'password_too_long' });
	else if (input.password !== input.confirmPassword) errors.push({ field: 'confirmPassword', code: 'passwords_differ' });
	const code = normaliseTotpCode(input.code);
	if (!code) errors.push({ field: 'code', code: 'enter_authenticator_code' });
	const row = await liveInvitation(handle.db, input.token, now);
	if (!row || !row.inv.pendingTotpKeyEncrypted) return { ok: false, gone: true, errors: [{ field: 'form', code: 'invitation_gone' }] };
	if (errors.length) return { ok: false, errors };
	// Codes tried per invitation, as at sign-in: a leaked link still cannot be guessed through.
	const limit = await consumeRateLimit(handle.db, `staff-invitation:${row.inv.id}`, ACCEPT_ATTEMPTS, 15 * 60 * 1000, now);
	if (!limit.allowed) {
		const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
		return { ok: false, errors: [{ field: 'code', code: 'too_many_codes', minutes }] };
	}
	const key = decryptSecret(row.inv.pendingTotpKeyEncrypted);
	const step = matchingTotpStep(key, code!, now);
	if (step === null) return { ok: false, errors: [{ field: 'code', code: 'wrong_code' }] };
	const passwordHash = await hashPassword(input.password);
	return handle.db.transaction(async (tx) => {
		const claimed = await tx
			.update(staffInvitations)
			.set({ acceptedAt: now })
			.where(and(eq(staffInvitations.id, row.inv.id), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)))
			.returning({ id: staffInvitations.id });
		if (claimed.length === 0) return { ok: false as const, gone: true, errors: [{ field: 'form', code: 'invitation_gone' }] };
		const [taken] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(sql`lower(${staffUsers.email})`, row.inv.email));
		if (taken) throw new Error('A staff account with this email already exists');
		const [staff] = await tx
			.insert(staffUsers)
			.values({
				schoolId: row.inv.schoolId,
				email: row.inv.email,
				displayName: row.inv.displayName,
				role: row.inv.role,
				passwordHash,
				totpKeyEncrypted: row.inv.pendingTotpKeyEncrypted,
				// The code just used cannot be used again to sign in.
				totpLastStep: step
			})
			.returning();
		await tx.update(staffInvitations).set({ acceptedStaffUserId: staff!.id, pendingTotpKeyEncrypted: null }).where(eq(staffInvitations.id, row.inv.id));
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff!.id,
			action: 'staff.invitation_accepted',
			schoolId: row.inv.schoolId,
			subjectType: 'staff_user',
			subjectId: staff!.id,
			details: { role: staff!.role, invitationId: row.inv.id },
			ip: input.ip ?? null,
			at: now
		});
		return { ok: true as const, staff: staff! };
	});
}

/** The school's staff accounts, for the headteacher's staff page. */
export async function listStaff(handle: DatabaseHandle, schoolId: string) {
	return handle.db
		.select({ id: staffUsers.id, displayName: staffUsers.displayName, email: staffUsers.email, role: staffUsers.role, disabledAt: staffUsers.disabledAt })
		.from(staffUsers)
		.where(eq(staffUsers.schoolId, schoolId))
		.orderBy(staffUsers.displayName);
}
