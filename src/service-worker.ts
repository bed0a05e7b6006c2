/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker: the app's static files for a fast start on a slow connection, an
 * offline page when a page cannot be fetched, and sending absence reports that were saved
 * while offline (Background Sync, where the browser has it; the report page also sends them
 * when it sees the connection come back).
 *
 * Pages about children are never cached here: they are private and must be fresh.
 */
import { build, files, version } from '$service-worker';
import { SYNC_TAG, flushQueuedReports } from '$lib/offline-reports';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `every-day-${version}`;
const OFFLINE_PAGE = '/offline';
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll([...ASSETS, OFFLINE_PAGE]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (request.mode === 'navigate') {
		event.respondWith(
			fetch(request).catch(async () => (await caches.match(OFFLINE_PAGE)) ?? Response.error())
		);
	}
});

interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
}

sw.addEventListener('sync', ((event: SyncEvent) => {
	if (event.tag !== SYNC_TAG) return;
	event.waitUntil(
		flushQueuedReports().then((outcomes) => {
			// Still offline: throwing makes the browser retry the sync later.
			if (outcomes.some((o) => o.status === 'offline')) throw new Error('still offline');
		})
	);
}) as EventListener);

sw.addEventListener('message', (event) => {
	if (event.data === 'flush-reports') event.waitUntil(flushQueuedReports());
});

// Every Day Counts and other notifications: the payload is { title, body, url } (see webpush.ts).
sw.addEventListener('push', (event) => {
	let data: { title?: string; body?: string; url?: string };
	try {
		data = event.data?.json() ?? {};
	} catch {
		data = { body: event.data?.text() };
	}
	event.waitUntil(
		sw.registration.showNotification(data.title ?? 'Every Day', {
			body: data.body ?? '',
			icon: '/icons/icon-192.png',
			badge: '/icons/icon-192.png',
			data: { url: data.url ?? '/children' },
			// The same message delivered twice (a push service's retry) replaces itself rather than
			// showing two identical notifications.
			tag: `${data.title ?? ''}\n${data.url ?? ''}`
		})
	);
});

sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const target = new URL((event.notification.data as { url?: string })?.url ?? '/children', sw.location.origin);
	// Only ever open our own pages.
	const url = target.origin === sw.location.origin ? target.href : sw.location.origin;
	event.waitUntil(
		(async () => {
			for (const client of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
				if (client.url === url && 'focus' in client) return client.focus();
			}
			await sw.clients.openWindow(url);
		})()
	);
});
