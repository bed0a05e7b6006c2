/**
 * Development tools (the /dev/outbox page, the development message transport) are on for the
 * embedded default database and off when DATABASE_URL points at PostgreSQL (production).
 * DEV_TOOLS=1 or DEV_TOOLS=0 overrides either default.
 */
export function devToolsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	const explicit = env.DEV_TOOLS?.trim().toLowerCase();
	if (explicit) {
		if (['1', 'true', 'yes', 'on'].includes(explicit)) return true;
		if (['0', 'false', 'no', 'off'].includes(explicit)) return false;
	}
	return !env.DATABASE_URL?.trim();
}
