/** "Please try again in 5 minutes.": how long a rate-limited person waits, in plain words. */
export function tryAgainIn(seconds: number): string {
	if (seconds < 90) return 'Please try again in a minute.';
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 90) return `Please try again in ${minutes} minutes.`;
	return `Please try again in ${Math.ceil(minutes / 60)} hours.`;
}
