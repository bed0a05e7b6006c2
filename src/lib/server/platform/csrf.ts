/**
 * SvelteKit's cross-site form submission check, applied in `handle` so that the
 * signature-validated webhook routes (Twilio posts forms from its own origin) can be exempted
 * and nothing else is. Same rule as SvelteKit's: a form-encoded POST/PUT/PATCH/DELETE whose
 * Origin is not our own is refused.
 */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that authenticate every request by the provider's signature instead. */
const SIGNATURE_VALIDATED_PREFIXES = ['/webhooks/'];

export function isCrossSiteFormSubmission(request: Request, url: URL): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	if (!FORM_CONTENT_TYPES.includes(type)) return false;
	if (SIGNATURE_VALIDATED_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return false;
	return request.headers.get('origin') !== url.origin;
}
