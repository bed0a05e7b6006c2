/**
 * One page of a long list (the staff overview's pupils): which page a `?page=` query asks for,
 * clamped to the pages there are, and the items it shows. A missing, malformed or out-of-range
 * page number shows the nearest real page rather than an error, so an old link still works
 * after pupils leave.
 */
export interface Page {
	/** 1-based. */
	page: number;
	pages: number;
	/** Index of the first item shown (0-based) and one past the last. */
	start: number;
	end: number;
	total: number;
	size: number;
}

export function pageOf(total: number, requested: string | null | undefined, size: number): Page {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`Bad page size: ${size}`);
	const pages = Math.max(1, Math.ceil(total / size));
	const asked = requested && /^\d{1,9}$/.test(requested.trim()) ? Number(requested.trim()) : 1;
	const page = Math.min(Math.max(asked, 1), pages);
	const start = (page - 1) * size;
	return { page, pages, start, end: Math.min(total, start + size), total, size };
}
