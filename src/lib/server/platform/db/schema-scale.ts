/**
 * Maintained counts for the whole-school summary: per pupil, per school year (1 August to 31
 * July) and per code, how many marks and how many minutes late. A whole year of a 2,000-pupil
 * school is 760,000 marks but only about 10,000 of these rows, so the summary reads these
 * instead of counting every mark on every request.
 *
 * Kept by statement-level triggers on attendance_marks (installed by `installMarkCountTriggers`,
 * because drizzle-kit cannot express triggers), so every writer — imports, the seed, a test's
 * raw INSERT, a cascade delete — keeps them right without knowing about them.
 */
import { date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { pupils, schools } from './schema';

export const pupilYearCodeCounts = pgTable(
	'pupil_year_code_counts',
	{
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		/** 1 August that starts the school year the marks fall in. */
		yearStart: date('year_start', { mode: 'string' }).notNull(),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		code: text('code').notNull(),
		marks: integer('marks').notNull(),
		minutesLate: integer('minutes_late').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.schoolId, t.yearStart, t.pupilId, t.code] }),
		// The cascade from pupils looks rows up by pupil.
		index('pupil_year_code_counts_pupil_idx').on(t.pupilId)
	]
);
