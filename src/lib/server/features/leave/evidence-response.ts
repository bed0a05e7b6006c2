/** An evidence file as a download: never rendered in our origin (no sniffing, sandboxed), never cached. */
export function evidenceResponse(file: { bytes: Uint8Array; mimeType: string; name: string }): Response {
	return new Response(Buffer.from(file.bytes), {
		headers: {
			'content-type': file.mimeType,
			'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "sandbox; default-src 'none'",
			'cache-control': 'private, no-store'
		}
	});
}
