// `npm run demo:totp`: the current sign-in code for each demo staff account (DEMO ONLY: the keys
// are published in src/lib/server/demo/staff.ts). Codes change every 30 seconds, and each
// code is accepted only once.
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { DEMO_STAFF } from '../src/lib/server/demo/staff';

const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`Demo staff sign-in codes (password for all: ${DEMO_STAFF[0]!.password}); valid for ${secondsLeft} more seconds:`);
for (const s of DEMO_STAFF) {
	const code = generateTOTP(decodeBase32IgnorePadding(s.totpKeyBase32), 30, 6);
	console.log(`  ${code}  ${s.email.padEnd(36)} ${s.role}${s.school ? ` (${s.school})` : ''}`);
}
