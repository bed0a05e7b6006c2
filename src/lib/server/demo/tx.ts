/**
 * (Used by the demo seed and the benchmark.) Raw, parameterised SQL ($1, $2...) inside one transaction, on either engine.
 *
 * `DatabaseHandle.query` goes through a pool on PostgreSQL, so consecutive calls may land on
 * different connections; this runs everything on the transaction's connection via drizzle.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '../platform/db/engine';

export type TxQuery = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** Turns 'select ... $1 ... $2' and its parameters into a drizzle SQL object (arrays stay one parameter). */
export function toSql(text: string, params: readonly unknown[] = []): SQL {
	const chunks: SQL[] = [];
	let last = 0;
	for (const m of text.matchAll(/\$(\d+)/g)) {
		const n = Number(m[1]);
		if (n < 1 || n > params.length) throw new RangeError(`No parameter $${n} (${params.length} given)`);
		chunks.push(sql.raw(text.slice(last, m.index)));
		chunks.push(sql`${sql.param(params[n - 1])}`);
		last = m.index! + m[0].length;
	}
	chunks.push(sql.raw(text.slice(last)));
	return sql.join(chunks);
}

type Executor = Pick<Db, 'execute'>;

function queryOn(executor: Executor): TxQuery {
	return async <T>(text: string, params: unknown[] = []) => {
		const result = (await executor.execute(toSql(text, params))) as unknown as { rows: T[] };
		return result.rows;
	};
}

/** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
export async function inTransaction<T>(handle: DatabaseHandle, fn: (q: TxQuery) => Promise<T>): Promise<T> {
	return handle.db.transaction(async (tx) => fn(queryOn(tx as unknown as Executor)));
}
