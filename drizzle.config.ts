import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the one pg-core schema and applied to both engines.
export default defineConfig({
	schema: './src/lib/server/platform/db/schema.ts',
	out: './drizzle',
	dialect: 'postgresql'
});
