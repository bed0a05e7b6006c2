/**
 * The words for what stops an Every Day Counts message, for the staff pages (which are in
 * English). Services and rules return codes; this is the one place that words them.
 */
import type { CampaignProblem } from './domain/campaign-problems';
import { LOCALE_ENGLISH_NAMES } from './domain/locale';
import { tryAgainIn } from './domain/retry';

function words(problem: CampaignProblem): string {
	switch (problem.code) {
		case 'title_missing':
			return 'Give the message a title';
		case 'title_too_long':
			return `Keep the title to ${problem.max} characters or fewer`;
		case 'body_missing':
			return 'Write the message';
		case 'body_too_long':
			return `Keep the message to ${problem.max} characters or fewer`;
		case 'unknown_merge_fields':
			return 'Use only {firstName}, {attendance} and {daysMissed} in the message';
		case 'channels_missing':
			return 'Choose at least one way to send it';
		case 'audience_invalid':
			return 'Choose who the message is for';
		case 'invalid':
			return 'Check this answer';
		case 'send_date_missing':
			return 'Enter the date to send it';
		case 'send_date_invalid':
			return 'Enter a real date, for example 27/03/2027';
		case 'send_time_missing':
			return 'Enter the time to send it';
		case 'send_time_invalid':
			return 'Enter a time on the 24-hour clock, for example 09:30 or 17:45';
		case 'send_time_skipped_by_clock_change':
			return 'That time does not exist on that day because the clocks go forward; choose another time';
		case 'send_time_past':
			return 'The date and time to send it must be in the future';
		case 'send_time_too_far':
			return `You can schedule a message up to ${problem.maxDays} days ahead`;
		case 'send_time_out_of_range':
			return `The time to send it must be in the future and at most ${problem.maxDays} days ahead`;
		case 'too_many_campaigns':
			return `Your school has sent or scheduled a lot of messages today. ${tryAgainIn(problem.retryAfterSeconds)}`;
	}
}

/** The sentence staff read, naming the language when the problem is in a translated version. */
export function campaignProblemText(problem: CampaignProblem): string {
	const text = words(problem);
	return 'language' in problem && problem.language ? `${text} (${LOCALE_ENGLISH_NAMES[problem.language]})` : text;
}
