import type { Db } from './engine';

/**
 * A statement (or a few) built once per database handle: drizzle's prepared statements belong
 * to the handle they were built on, and on PostgreSQL their names are parsed once per
 * connection. For the hot paths, where building the query on every call showed in the profile.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
	const built = new WeakMap<Db, T>();
	return (db) => {
		let statements = built.get(db);
		if (!statements) {
			statements = build(db);
			built.set(db, statements);
		}
		return statements;
	};
}
