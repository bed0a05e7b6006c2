import { describe, expect, it } from 'vitest';
import { isCrossSiteFormSubmission } from '../../src/lib/server/platform/csrf';

const origin = 'https://everyday.example.org';
function post(path: string, headers: Record<string, string>, method = 'POST') {
	const url = new URL(path, origin);
	return isCrossSiteFormSubmission(new Request(url, { method, headers }), url);
}

describe('cross-site form submission check', () => {
	it('refuses a form POST from another origin', () => {
		expect(post('/sign-in', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe(true);
	});
	it('refuses a form POST with no Origin header at all', () => {
		expect(post('/sign-in', { 'content-type': 'multipart/form-data; boundary=x' })).toBe(true);
	});
	it('refuses text/plain, PUT, PATCH and DELETE the same way', () => {
		expect(post('/account', { 'content-type': 'text/plain', origin: 'https://evil.example' })).toBe(true);
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			expect(post('/account', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, method)).toBe(true);
		}
	});
	it('allows our own origin', () => {
		expect(post('/sign-in', { 'content-type': 'application/x-www-form-urlencoded', origin })).toBe(false);
	});
	it('leaves JSON requests to their own authentication (browsers cannot send them cross-site without CORS)', () => {
		expect(post('/api/mis/marks', { 'content-type': 'application/json', origin: 'https://evil.example' })).toBe(false);
	});
	it('exempts only the signature-validated webhook routes', () => {
		expect(post('/webhooks/twilio/sms', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://api.twilio.example' })).toBe(false);
		expect(post('/webhooksx', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe(true);
		expect(post('/staff/webhooks/x', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe(true);
	});
	it('never blocks safe methods', () => {
		const url = new URL('/sign-in', origin);
		expect(isCrossSiteFormSubmission(new Request(url, { method: 'GET' }), url)).toBe(false);
	});
});
