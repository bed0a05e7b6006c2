/** How a pupil is named and placed, the same on every page, message and export. */

export interface PupilName {
	firstName: string;
	preferredName?: string | null;
	lastName: string;
}

/** A pupil as lists of pupils show them: who, and where in the school. */
export interface PupilPlace {
	pupilId: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	/** 0 = Reception, 1..13 = Year 1..13, -1 = Nursery. */
	yearGroup: number;
	className: string | null;
}

/** The name a child goes by: their preferred first name when the school holds one. */
export function childFirstName(p: Pick<PupilName, 'firstName' | 'preferredName'>): string {
	return p.preferredName?.trim() || p.firstName;
}

/** 'Sam Patel': the name a child goes by, then their surname. */
export function childDisplayName(p: PupilName): string {
	return `${childFirstName(p)} ${p.lastName}`;
}

/** 'Nursery', 'Reception', 'Year 4' (staff pages and exports; parents' pages translate it). */
export function yearGroupLabel(yearGroup: number): string {
	if (yearGroup === 0) return 'Reception';
	if (yearGroup < 0) return 'Nursery';
	return `Year ${yearGroup}`;
}
