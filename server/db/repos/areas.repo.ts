// Provinces, districts and subdistricts, addressed by their path "province/district/subdistrict".
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../schema.ts';

export type AreaLevel = 'province' | 'district' | 'subdistrict';
const LEVELS: AreaLevel[] = ['province', 'district', 'subdistrict'];

export interface AreaRow {
  id: number;
  level: AreaLevel;
  name: string;
  path: string;
}

export function splitAreaPath(path: string): string[] {
  return path.split('/').map((part) => part.trim()).filter(Boolean);
}

/** Creates any missing areas along the given full paths and returns path → id for every prefix. */
export async function ensureAreaPaths(db: Kysely<Database>, paths: Iterable<string>): Promise<Map<string, number>> {
  const byDepth: Array<Set<string>> = [new Set(), new Set(), new Set()];
  for (const path of paths) {
    const parts = splitAreaPath(path);
    for (let depth = 0; depth < parts.length && depth < 3; depth++) byDepth[depth]!.add(parts.slice(0, depth + 1).join('/'));
  }
  const ids = new Map<string, number>();
  for (let depth = 0; depth < 3; depth++) {
    const wanted = [...byDepth[depth]!];
    if (wanted.length === 0) continue;
    const rows = wanted.map((path) => {
      const parts = path.split('/');
      return {
        level: LEVELS[depth]!,
        name: parts[depth]!,
        parent_id: depth === 0 ? null : ids.get(parts.slice(0, depth).join('/'))!,
        path,
      };
    });
    await db.insertInto('areas').values(rows).onConflict((oc) => oc.column('path').doNothing()).execute();
    const found = await db.selectFrom('areas').select(['id', 'path']).where('path', 'in', wanted).execute();
    for (const row of found) ids.set(row.path, row.id);
  }
  return ids;
}

export async function findAreaByPath(db: Kysely<Database>, path: string): Promise<AreaRow | undefined> {
  return db.selectFrom('areas').select(['id', 'level', 'name', 'path']).where('path', '=', splitAreaPath(path).join('/')).executeTakeFirst();
}

/**
 * True for an area at or below `scopePath`; the whole country when scopePath is null.
 * Use with a column holding an area path.
 */
export function withinScope(pathColumn: Expression<string>, scopePath: string | null): Expression<SqlBool> {
  if (scopePath === null) return sql<SqlBool>`true`;
  const escaped = scopePath.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`(${pathColumn} = ${scopePath} OR ${pathColumn} LIKE ${`${escaped}/%`})`;
}
