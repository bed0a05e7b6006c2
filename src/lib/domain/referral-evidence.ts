/**
 * The shapes of a referral's evidence sections (assembled by features/local-authority/evidence.ts,
 * shown by components/la/Evidence.svelte). A new kind of section is a new member here.
 */
import type { IsoDate } from './calendar';

export interface HalfTermFigures {
	name: string;
	startsOn: IsoDate;
	endsOn: IsoDate;
	possible: number;
	attended: number;
	authorised: number;
	unauthorised: number;
	/** Exact percentage, null with no possible sessions. */
	percent: number | null;
}

export type EvidenceSection =
	| { kind: 'figures_by_half_term'; halfTerms: HalfTermFigures[] }
	| { kind: 'unauthorised_window'; count: number; windowStart: IsoDate; windowEnd: IsoDate }
	| {
			kind: 'absence_reports';
			reports: { reference: string; reason: string; startsOn: IsoDate; endsOn: IsoDate | null; status: string; channel: string; submittedAt: string }[];
	  }
	| { kind: 'first_day_contacts'; contacts: { date: IsoDate; recipients: number; automatic: boolean }[] }
	| { kind: 'leave_requests'; requests: { reference: string; type: string; startsOn: IsoDate; endsOn: IsoDate; schoolDays: number; status: string }[] }
	/** What the school has done in its graduated response: steps, letters, meetings, plans and reviews, oldest first. */
	| { kind: 'graduated_response'; stage: string; nextStep: string | null; events: { date: IsoDate; kind: string; title: string; detail: string }[] };

