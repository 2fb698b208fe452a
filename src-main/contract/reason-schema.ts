/** A refusal's or a problem's cause as the renderer translates it (domain/reasons.ts: a key under `reasons.` and its parameters). */
import { z } from 'zod';

export const reasonDetailSchema = z.object({ reason: z.string(), params: z.record(z.string(), z.unknown()).optional() });
