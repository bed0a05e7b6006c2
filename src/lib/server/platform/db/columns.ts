/** Column sets that several features select, so each list of pupils reads the same fields. */
import { pupils } from './schema';

/** A pupil as lists show them (the domain's PupilPlace): who, and where in the school. */
export const pupilPlaceColumns = {
	pupilId: pupils.id,
	firstName: pupils.firstName,
	lastName: pupils.lastName,
	preferredName: pupils.preferredName,
	yearGroup: pupils.yearGroup,
	className: pupils.className
};
