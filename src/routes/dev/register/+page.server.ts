import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { devToolsEnabled } from '$lib/server/demo';
import { takeDemoMorningRegister } from '$lib/server/demo';

/** Development only: import this morning's register at the demo school, as its MIS would. */
export const load: PageServerLoad = async () => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	return {};
};

export const actions: Actions = {
	default: async ({ locals }) => {
		if (!devToolsEnabled()) error(404, 'Page not found');
		const result = await takeDemoMorningRegister(locals.database);
		if (!result.ok) return fail(409, { message: result.message });
		return { done: `Imported the morning register for ${result.date}: ${result.present} present, ${result.absent} absent with no reason yet (N).` };
	}
};
