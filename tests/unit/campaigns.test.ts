import { describe, expect, it } from 'vitest';
import { CAMPAIGN_TEMPLATES, renderMessage, smsCostEstimate, unknownMergeFields } from '../../src/lib/domain/campaigns';

describe('campaign messages', () => {
	const values = { firstName: 'Sam', attendance: '97.4%', daysMissed: '2½ days' };
	it('fills the merge fields', () => {
		expect(renderMessage('{firstName}: {attendance}, {daysMissed} missed', values)).toBe('Sam: 97.4%, 2½ days missed');
		expect(renderMessage('Hello {parentName}', values)).toBe('Hello {parentName}');
	});
	it('finds unknown merge fields', () => {
		expect(unknownMergeFields('Hi {firstName} and {surname}{x}')).toEqual(['surname', 'x']);
		expect(unknownMergeFields(CAMPAIGN_TEMPLATES.map((t) => t.body).join(' '))).toEqual([]);
	});
	it('estimates the SMS cost by segments', () => {
		expect(smsCostEstimate(['a'.repeat(160), 'a'.repeat(161)], 3.5)).toEqual({ segments: 3, pence: 10.5 });
		// "½" is not GSM-7: the whole text is UCS-2, 70 characters a segment.
		expect(smsCostEstimate([renderMessage(CAMPAIGN_TEMPLATES[2].body, values)], 4)).toEqual({ segments: 3, pence: 12 });
	});
});
