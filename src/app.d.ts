// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Guardian, StaffUser } from '$lib/server/platform/db/schema';

declare global {
	namespace App {
		interface Locals {
			/** Hash of the current session's token, when there is a session. */
			sessionId: string | null;
			/** A signed-in parent or carer. */
			guardian: Guardian | null;
			/** A signed-in member of staff who has passed the TOTP step. */
			staff: StaffUser | null;
			/** A member of staff who has given their password but not yet their TOTP code. */
			staffAwaitingSecondFactor: StaffUser | null;
			/** The language this request's page is in (see chooseWebLocale). */
			locale: import('$lib/domain/locale').Locale;
			/** The app-wide database (set by hooks.server.ts before any route runs). */
			database: import('$lib/server/platform/db/engine').DatabaseHandle;
		}
	}
}

export {};
