/** Vitest global setup for the integration suite on PGlite: the migrated template (migrated-template.ts). */
import type { TestProject } from 'vitest/node';
import { pgliteTemplate } from './migrated-template';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	project.provide('pgliteTemplate', await pgliteTemplate());
}
