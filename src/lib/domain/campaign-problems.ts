/**
 * What stops an Every Day Counts message being previewed, sent or scheduled, as codes with
 * their values. Staff read them in English (src/lib/i18n-campaigns.ts has the words).
 */
import type { Locale } from './locale';

/** Problems with one version of the message; `language` names a translated version. */
export type CampaignTextProblem =
	| { code: 'title_missing'; language?: Locale }
	| { code: 'title_too_long'; max: number; language?: Locale }
	| { code: 'body_missing'; language?: Locale }
	| { code: 'body_too_long'; max: number; language?: Locale }
	| { code: 'unknown_merge_fields'; language?: Locale };

export type CampaignProblem =
	| CampaignTextProblem
	| { code: 'channels_missing' }
	| { code: 'audience_invalid' }
	| { code: 'invalid' }
	| { code: 'send_date_missing' }
	| { code: 'send_date_invalid' }
	| { code: 'send_time_missing' }
	| { code: 'send_time_invalid' }
	| { code: 'send_time_skipped_by_clock_change' }
	| { code: 'send_time_past' }
	| { code: 'send_time_too_far'; maxDays: number }
	| { code: 'send_time_out_of_range'; maxDays: number }
	| { code: 'too_many_campaigns'; retryAfterSeconds: number };

export const CAMPAIGN_TITLE_MAX = 100;
export const CAMPAIGN_BODY_MAX = 600;

/** The codes a zod issue's message may carry in the campaign schema (anything else is `invalid`). */
export const CAMPAIGN_SCHEMA_CODES = ['title_missing', 'title_too_long', 'body_missing', 'body_too_long', 'unknown_merge_fields', 'channels_missing'] as const;
export type CampaignSchemaCode = (typeof CAMPAIGN_SCHEMA_CODES)[number];

/** A zod issue's message (a code) as a problem with its values. */
export function campaignProblemFromCode(code: string, language?: Locale): CampaignProblem {
	const lang = language ? { language } : {};
	switch (code as CampaignSchemaCode) {
		case 'title_missing':
			return { code: 'title_missing', ...lang };
		case 'title_too_long':
			return { code: 'title_too_long', max: CAMPAIGN_TITLE_MAX, ...lang };
		case 'body_missing':
			return { code: 'body_missing', ...lang };
		case 'body_too_long':
			return { code: 'body_too_long', max: CAMPAIGN_BODY_MAX, ...lang };
		case 'unknown_merge_fields':
			return { code: 'unknown_merge_fields', ...lang };
		case 'channels_missing':
			return { code: 'channels_missing' };
		default:
			return { code: 'invalid' };
	}
}
