import { z } from 'zod';
import { deleteTemplate, listTemplates, saveTemplate } from '../services/templates';
import { notePatch } from './consultations';
import { method } from './contract';
import { id, requiredText } from './fields';

export const templateMethods = {
  'templates.save': method({
    input: z.object({ name: requiredText('Template name', 80), note: notePatch }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => saveTemplate(ctx, input),
  }),
  'templates.list': method({
    input: z.object({}).optional(),
    access: 'consultations.write',
    mutates: false,
    run: (ctx) => listTemplates(ctx),
  }),
  'templates.delete': method({
    input: z.object({ id: id('Template') }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => deleteTemplate(ctx, input.id),
  }),
};
