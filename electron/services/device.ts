import { desc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/open';
import { changeLog, localMeta } from '../../db/schema';

/** This installation's identity, made once on first open and kept in the database. */
export function ensureDeviceId(db: Db): string {
  const row = db.select().from(localMeta).where(eq(localMeta.key, 'device_id')).get();
  if (row) return row.value;
  const id = uuidv7();
  db.insert(localMeta).values({ key: 'device_id', value: id }).run();
  return id;
}

/** The newest clock stamp this device wrote, so a restarted clock never goes backwards. */
export function lastHlc(db: Db): string | undefined {
  return db.select({ hlc: changeLog.hlc }).from(changeLog).orderBy(desc(changeLog.seq)).limit(1).get()?.hlc;
}
