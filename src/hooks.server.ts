/**
 * The server's two hooks: start-up (once per instance) and the request pipeline (every request).
 * Both are composed from src/lib/server/startup, which says what each step does.
 */
import { sequence } from '@sveltejs/kit/hooks';
import type { ServerInit } from '@sveltejs/kit';
import { startApp } from '$lib/server/startup';
import { compressPages } from '$lib/server/startup/compression';
import {
	attachDatabase,
	guardRequestBoundary,
	loadSession,
	logFailedRequests,
	logUnexpectedError,
	rejectCrossSiteForms,
	renderInLocale
} from '$lib/server/startup/request';

export const init: ServerInit = startApp;

export const handle = sequence(compressPages, logFailedRequests, rejectCrossSiteForms, guardRequestBoundary, attachDatabase, loadSession, renderInLocale);

export const handleError = logUnexpectedError;
