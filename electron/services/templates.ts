import { and, asc, eq, isNull } from 'drizzle-orm';
import { consultationTemplates, type ConsultationNote } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';

type Ctx = AuthedContext;

/** A doctor's saved notes, by name. Saving under an existing name replaces that template. */
export function saveTemplate(ctx: Ctx, input: { name: string; note: Partial<ConsultationNote> }) {
  const doctorId = ctx.session.userId;
  const { followUpDate: _f, vitals: _v, ...note } = input.note;
  const existing = ctx.db
    .select()
    .from(consultationTemplates)
    .where(and(eq(consultationTemplates.doctorId, doctorId), eq(consultationTemplates.name, input.name), isNull(consultationTemplates.deletedAt)))
    .get();
  const row = existing
    ? ctx.write.update(consultationTemplates, existing.id, { note })
    : ctx.write.insert(consultationTemplates, { doctorId, name: input.name, note });
  return { id: row.id, name: row.name };
}

export function listTemplates(ctx: Ctx) {
  return ctx.db
    .select({ id: consultationTemplates.id, name: consultationTemplates.name, note: consultationTemplates.note })
    .from(consultationTemplates)
    .where(and(eq(consultationTemplates.doctorId, ctx.session.userId), isNull(consultationTemplates.deletedAt)))
    .orderBy(asc(consultationTemplates.name))
    .all();
}

export function deleteTemplate(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(consultationTemplates).where(eq(consultationTemplates.id, id)).get();
  if (!row || row.deletedAt !== null || row.doctorId !== ctx.session.userId) {
    throw new ApiFailure('not_found', 'No such template.', { id: 'No such template' });
  }
  ctx.write.remove(consultationTemplates, id);
  return { removed: true };
}
