/**
 * Password-less sign-in for parents and carers: a 6-digit one-time code sent by SMS to a phone
 * number the school holds for them, or by email.
 *
 * - The answer to "send me a code" is the same whether or not the number is on record, so the
 *   page cannot be used to find out who is a parent at which school.
 * - Only the SHA-256 of a code is stored; codes last 10 minutes, allow 5 guesses and work once.
 * - Requests are rate limited per identifier (3 per 15 minutes) and per IP (20 per hour).
 * - The code is queued in the outbox in the same transaction that stores it.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db/engine';
import { guardians, signInCodes, type Guardian } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { enqueueMessage } from '../../platform/outbox';
import { normaliseIdentifier, type Identifier } from './identifiers';
import { consumeRateLimit } from '../../platform/rate-limit';
import { chooseMessageLocale } from '../../../domain/locale';
import { m } from '../../../paraglide/messages';

export const SIGN_IN_CODE_TTL_MS = 10 * 60 * 1000;
export const SIGN_IN_CODE_MAX_ATTEMPTS = 5;
export const SIGN_IN_LIMIT_PER_IDENTIFIER = { limit: 3, windowMs: 15 * 60 * 1000 } as const;
export const SIGN_IN_LIMIT_PER_IP = { limit: 20, windowMs: 60 * 60 * 1000 } as const;
/** Guesses at codes from one IP, across identifiers. */
export const VERIFY_LIMIT_PER_IP = { limit: 50, windowMs: 60 * 60 * 1000 } as const;

export type RequestCodeResult =
	/** Same answer whether or not a guardian matched. `identifier` is the normalised form. */
	| { ok: true; limited: false; identifier: string }
	| { ok: false; limited: true; retryAfterSeconds: number }
	| { ok: false; limited: false; invalid: true };

export type VerifyCodeResult = { ok: true; guardianId: string } | { ok: false; limited?: boolean };

export function hashSignInCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(code)));
}

export function generateSignInCode(): string {
	return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

async function findGuardian(db: Db, id: Identifier): Promise<Guardian | undefined> {
	const [row] = await db
		.select()
		.from(guardians)
		.where(id.kind === 'phone' ? eq(guardians.phone, id.value) : sql`lower(${guardians.email}) = ${id.value}`)
		.limit(1);
	return row;
}

export async function requestSignInCode(
	db: Db,
	input: { identifier: string; ip: string | null },
	now: Date = new Date()
): Promise<RequestCodeResult> {
	const id = normaliseIdentifier(input.identifier);
	if (!id) return { ok: false, limited: false, invalid: true };

	const ipLimit = await consumeRateLimit(
		db,
		`sign-in:ip:${input.ip ?? 'unknown'}`,
		SIGN_IN_LIMIT_PER_IP.limit,
		SIGN_IN_LIMIT_PER_IP.windowMs,
		now
	);
	const idLimit = await consumeRateLimit(
		db,
		`sign-in:${id.kind}:${id.value}`,
		SIGN_IN_LIMIT_PER_IDENTIFIER.limit,
		SIGN_IN_LIMIT_PER_IDENTIFIER.windowMs,
		now
	);
	if (!ipLimit.allowed || !idLimit.allowed) {
		await writeAudit(db, {
			actorType: 'guardian',
			action: 'guardian.sign_in_code_rate_limited',
			details: { channel: id.kind === 'phone' ? 'sms' : 'email', by: !ipLimit.allowed ? 'ip' : 'identifier' },
			ip: input.ip,
			at: now
		});
		return {
			ok: false,
			limited: true,
			retryAfterSeconds: Math.max(ipLimit.retryAfterSeconds, idLimit.retryAfterSeconds)
		};
	}

	const guardian = await findGuardian(db, id);
	// Always do the same work (generate and hash a code) so timing says little either way.
	const code = generateSignInCode();
	const codeHash = hashSignInCode(code);
	if (!guardian) {
		await writeAudit(db, {
			actorType: 'guardian',
			action: 'guardian.sign_in_code_requested_unknown',
			details: { channel: id.kind === 'phone' ? 'sms' : 'email' },
			ip: input.ip,
			at: now
		});
		return { ok: true, limited: false, identifier: id.value };
	}

	const channel = id.kind === 'phone' ? 'sms' : 'email';
	const locale = chooseMessageLocale({ guardianPreference: guardian.preferredLanguage });
	await db.transaction(async (tx) => {
		const [row] = await tx
			.insert(signInCodes)
			.values({
				guardianId: guardian.id,
				channel,
				codeHash,
				expiresAt: new Date(now.getTime() + SIGN_IN_CODE_TTL_MS),
				createdAt: now
			})
			.returning({ id: signInCodes.id });
		await enqueueMessage(tx, {
			channel,
			recipient: id.value,
			guardianId: guardian.id,
			purpose: 'sign_in_code',
			subject: channel === 'email' ? m.msg_sign_in_subject({}, { locale }) : null,
			body: m.msg_sign_in_code({ code }, { locale }),
			idempotencyKey: `sign-in-code:${row!.id}`
		});
		await writeAudit(tx, {
			actorType: 'guardian',
			actorId: guardian.id,
			action: 'guardian.sign_in_code_requested',
			subjectType: 'sign_in_code',
			subjectId: row!.id,
			details: { channel },
			ip: input.ip,
			at: now
		});
	});
	return { ok: true, limited: false, identifier: id.value };
}

export async function verifySignInCode(
	db: Db,
	input: { identifier: string; code: string; ip: string | null },
	now: Date = new Date()
): Promise<VerifyCodeResult> {
	const fail = async (reason: string, guardianId: string | null = null, codeId: string | null = null) => {
		await writeAudit(db, {
			actorType: 'guardian',
			actorId: guardianId,
			action: 'guardian.sign_in_failed',
			subjectType: codeId ? 'sign_in_code' : null,
			subjectId: codeId,
			details: { reason },
			ip: input.ip,
			at: now
		});
		return { ok: false } as const;
	};

	const ipLimit = await consumeRateLimit(
		db,
		`sign-in-verify:ip:${input.ip ?? 'unknown'}`,
		VERIFY_LIMIT_PER_IP.limit,
		VERIFY_LIMIT_PER_IP.windowMs,
		now
	);
	if (!ipLimit.allowed) {
		await fail('rate_limited');
		return { ok: false, limited: true };
	}

	const id = normaliseIdentifier(input.identifier);
	const code = input.code.replace(/[\s-]/g, '');
	if (!id) return fail('invalid_identifier');
	if (!/^\d{6}$/.test(code)) return fail('malformed_code');
	const guardian = await findGuardian(db, id);
	if (!guardian) return fail('unknown_identifier');

	const [latest] = await db
		.select()
		.from(signInCodes)
		.where(
			and(eq(signInCodes.guardianId, guardian.id), isNull(signInCodes.consumedAt), gt(signInCodes.expiresAt, now))
		)
		.orderBy(desc(signInCodes.createdAt))
		.limit(1);
	if (!latest) return fail('no_active_code', guardian.id);

	// Count the guess first, atomically, so parallel guesses cannot exceed the limit.
	const [counted] = await db
		.update(signInCodes)
		.set({ attempts: sql`${signInCodes.attempts} + 1` })
		.where(
			and(
				eq(signInCodes.id, latest.id),
				isNull(signInCodes.consumedAt),
				lt(signInCodes.attempts, SIGN_IN_CODE_MAX_ATTEMPTS)
			)
		)
		.returning({ attempts: signInCodes.attempts });
	if (!counted) return fail('too_many_attempts', guardian.id, latest.id);

	const given = Buffer.from(hashSignInCode(code));
	const stored = Buffer.from(latest.codeHash);
	if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
		return fail('wrong_code', guardian.id, latest.id);
	}

	// Single use: only one request can move consumed_at from null.
	const [consumed] = await db
		.update(signInCodes)
		.set({ consumedAt: now })
		.where(and(eq(signInCodes.id, latest.id), isNull(signInCodes.consumedAt)))
		.returning({ id: signInCodes.id });
	if (!consumed) return fail('already_used', guardian.id, latest.id);
	// Any other outstanding codes for this guardian are now pointless: retire them.
	await db
		.update(signInCodes)
		.set({ consumedAt: now })
		.where(and(eq(signInCodes.guardianId, guardian.id), isNull(signInCodes.consumedAt)));

	await writeAudit(db, {
		actorType: 'guardian',
		actorId: guardian.id,
		action: 'guardian.sign_in',
		subjectType: 'sign_in_code',
		subjectId: latest.id,
		details: { channel: latest.channel },
		ip: input.ip,
		at: now
	});
	return { ok: true, guardianId: guardian.id };
}

/** Short-lived HttpOnly cookie carrying the normalised identifier from /sign-in to /sign-in/code. */
export const SIGN_IN_IDENTIFIER_COOKIE = 'everyday_sign_in_for';
/** Where the parent was going when asked to sign in, kept while they type the code. */
export const SIGN_IN_RETURN_TO_COOKIE = 'everyday_sign_in_return_to';
export const SIGN_IN_IDENTIFIER_COOKIE_MAX_AGE_SECONDS = 15 * 60;
