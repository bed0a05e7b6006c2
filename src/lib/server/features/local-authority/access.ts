/**
 * Which named pupils the LA officer may see: only a pupil a school referred, a pupil with a
 * request or notice, or a pupil on the statutory notifications. Everyone else is "not found",
 * like a pupil of another school is to school staff.
 */
import { eq } from 'drizzle-orm';
import { isUuid } from '../../../domain/ids';
import { can } from '../../../domain/permissions';
import type { IsoDate } from '../../../domain/calendar';
import type { DatabaseHandle } from '../../platform/db/engine';
import { laInterventions, laReferrals, type StaffUser } from '../../platform/db/schema';
import { isStatutorilyNotified } from './statutory';

export type LaPupilGround = 'referral' | 'intervention' | 'statutory_notification';

/** Why the officer may see this pupil, or null when they may not. */
export async function laGroundForPupil(
	handle: DatabaseHandle,
	officer: Pick<StaffUser, 'role' | 'disabledAt'>,
	pupilId: string,
	today?: IsoDate
): Promise<LaPupilGround | null> {
	if (officer.disabledAt || !can(officer, 'la.attendance') || !isUuid(pupilId)) return null;
	const [referral] = await handle.db.select({ id: laReferrals.id }).from(laReferrals).where(eq(laReferrals.pupilId, pupilId)).limit(1);
	if (referral) return 'referral';
	const [notice] = await handle.db.select({ id: laInterventions.id }).from(laInterventions).where(eq(laInterventions.pupilId, pupilId)).limit(1);
	if (notice) return 'intervention';
	return (await isStatutorilyNotified(handle, pupilId, today)) ? 'statutory_notification' : null;
}
